/// A length of time in the configuration (`idle_timeout`, `visitor_retention`): a number of
/// seconds, or a number followed by `s`, `m`, `h` or `d` (`300`, `1.5`, `30m`, `12h`, `90d`),
/// the number in decimal (`Double(plainDecimal:)`). Fractions are allowed; the value is at least
/// 0 and at most 100 years, so that it can be added to any time the daemon handles without
/// overflowing. A number above 0 too small for a `Double` (`1e-400`) is refused rather than taken
/// as 0, which means "never" for both settings.
public struct DurationSetting: Sendable, Equatable, CustomStringConvertible {
    public static let maxSeconds = 100 * 365 * 86400.0

    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// `nil` unless `text` is a duration as described above.
    public init?(parsing text: some StringProtocol) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(text)
        var unit = 1.0
        if let last = number.last, let multiplier = units[last] {
            unit = multiplier
            number = number.dropLast()
        }
        guard let value = Double(plainDecimal: number) else { return nil }
        let seconds = value * unit
        let mantissa = number.prefix { $0 != "e" && $0 != "E" }
        guard seconds <= Self.maxSeconds, seconds > 0 || !mantissa.contains(where: { "123456789".contains($0) }) else {
            return nil
        }
        self.seconds = seconds
    }

    /// Whole seconds, or with a fraction where there is one (as the configuration would spell it).
    public var description: String {
        seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
    }
}
