/// Text for people, as `sharectl` prints it, and the durations and times its options accept.
///
/// No locale: the output is the same on every machine.
public enum Formatting {
    /// `1234567` as `1,234,567`.
    public static func integer(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var grouped = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }

    /// `1234.5` as `1,234.50`: thousands separators and two decimals.
    public static func decimal(_ value: Double) -> String {
        let cents = (value.magnitude * 100).rounded()
        guard cents < 1e15 else { return String(value) }
        let sign = value < 0 && cents > 0 ? "-" : ""
        return sign + integer(Int64(cents) / 100) + "." + twoDigits(Int64(cents) % 100)
    }

    /// An amount exactly, with thousands separators and two decimals (three where it has them):
    /// `1234.5` as `1,234.50`, `0.125` as `0.125`.
    public static func money(_ value: Money) -> String {
        let thousandths = value.thousandths.magnitude
        let fraction = thousandths % 1000
        let decimals = fraction % 10 == 0 ? twoDigits(Int64(fraction / 10)) : twoDigits(Int64(fraction / 10)) + String(fraction % 10)
        return (value.thousandths < 0 ? "-" : "") + integer(thousandths / 1000) + "." + decimals
    }

    /// A rate as a percentage with two decimals: `0.04213` as `4.21%`; one under 0.01% with two
    /// significant digits, as the report's charts write it, not as zero: `0.0000194` as `0.0019%`.
    public static func percent(_ rate: Double) -> String {
        let percent = rate * 100
        guard percent != 0, percent.magnitude < 0.01 else { return decimal(percent) + "%" }
        var significant = percent.magnitude * 100
        var decimals = 2
        while significant < 10 {
            significant *= 10
            decimals += 1
        }
        var digits = Int64(significant.rounded())
        if digits == 100 {
            digits = 10
            decimals -= 1
        }
        let zeros = String(repeating: "0", count: decimals - 2)
        return (percent < 0 ? "-" : "") + "0." + zeros + String(digits) + "%"
    }

    /// `0.85` as `850 ms`, `4.2` as `4.2s`, `725` as `12m 5s`, `11520` as `3h 12m`,
    /// `183600` as `2d 3h`, `300` as `5m`.
    public static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 {
            let milliseconds = seconds * 1000
            let whole = milliseconds >= 10 || milliseconds == milliseconds.rounded()
            return (whole ? String(Int64(milliseconds.rounded())) : oneDecimal(milliseconds)) + " ms"
        }
        if seconds < 60 {
            return (seconds < 10 && seconds != seconds.rounded() ? oneDecimal(seconds) : String(Int64(seconds.rounded())))
                + "s"
        }
        let whole = Int64(min(seconds, 9e15))
        let (days, hours, minutes) = (whole / 86400, whole / 3600 % 24, whole / 60 % 60)
        /// `3h 12m`, or `3h` when the smaller unit is zero.
        func units(_ large: Int64, _ largeUnit: String, _ small: Int64, _ smallUnit: String) -> String {
            "\(large)\(largeUnit)" + (small > 0 ? " \(small)\(smallUnit)" : "")
        }
        if days > 0 { return units(days, "d", hours, "h") }
        if hours > 0 { return units(hours, "h", minutes, "m") }
        return units(minutes, "m", whole % 60, "s")
    }

    /// How long ago something happened, to the second: `0s ago`, `12s ago`, `3h 12m ago` (a time
    /// a little ahead, by another machine's clock, as `0s ago`).
    public static func ago(_ seconds: Int64) -> String {
        span(UInt64(max(0, seconds))) + " ago"
    }

    /// `ago`, or how far ahead a time is that may be (an event's `ts`, up to 5 minutes): `in 4m`.
    public static func relative(_ seconds: Int64) -> String {
        seconds < 0 ? "in " + span(seconds.magnitude) : ago(seconds)
    }

    /// `12s`, `3h 12m`.
    private static func span(_ seconds: UInt64) -> String {
        seconds < 60 ? "\(seconds)s" : duration(Double(seconds))
    }

    /// A file size: `512 B`, `12.3 MiB`.
    public static func bytes(_ count: Int64) -> String {
        var size = Double(count)
        for unit in ["B", "KiB", "MiB", "GiB", "TiB"] {
            if size < 1024 || unit == "TiB" {
                return (unit == "B" ? String(count) : oneDecimal(size)) + " " + unit
            }
            size /= 1024
        }
        return String(count) + " B"
    }

    /// A duration such as `30s`, `90m`, `24h`, `7d`, `2w` or a sum like `1h30m`, in seconds;
    /// `nil` if the text is not one.
    public static func parseDuration(_ text: some StringProtocol) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII && character.isWholeNumber {
                digits.append(character)
                continue
            }
            guard let count = Int64(digits), let unit = units[character] else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow && !sumOverflow else { return nil }
            total = sum
            digits = ""
        }
        return digits.isEmpty && !text.isEmpty ? total : nil
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
