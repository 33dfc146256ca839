/// Appends the pieces of one JSON line to a byte buffer without going through `String`.
struct LineBuilder {
    private var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func finish() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// A non-negative integer in decimal.
    mutating func append(_ value: Int) {
        if value >= 10 { append(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A non-negative integer with leading zeros to `width` digits.
    mutating func appendPadded(_ value: Int, width: Int) {
        var digits = 1, power = 10
        while value >= power { digits += 1; power *= 10 }
        for _ in digits..<max(digits, width) { bytes.append(UInt8(ascii: "0")) }
        append(value)
    }

    /// Seconds since the epoch as RFC 3339 UTC, `2026-11-27T20:15:00Z`.
    mutating func appendTimestamp(_ seconds: Int64) {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let second = Int(seconds - Int64(days) * 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        appendPadded(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(second / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(second / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(second % 60, width: 2)
        bytes.append(UInt8(ascii: "Z"))
    }
}
