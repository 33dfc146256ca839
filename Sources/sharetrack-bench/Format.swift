/// Number formatting for the table.
enum Format {
    /// `2,000,000`
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// `value` with `places` decimals.
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = integer(scaled / Int(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + whole }
        var fraction = String(scaled % Int(scale))
        while fraction.count < places { fraction = "0" + fraction }
        return sign + whole + "." + fraction
    }

    static func seconds(_ value: Double) -> String { fixed(value, 2) + " s" }

    static func milliseconds(_ value: Double) -> String { fixed(value, value < 10 ? 2 : value < 100 ? 1 : 0) + " ms" }

    /// `123.4 MiB`
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var amount = Double(value), unit = 0
        while abs(amount) >= 1024 && unit < units.count - 1 { amount /= 1024; unit += 1 }
        return unit == 0 ? "\(value) B" : fixed(amount, 1) + " " + units[unit]
    }
}
