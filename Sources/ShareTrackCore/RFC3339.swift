/// RFC 3339 timestamps (`2026-11-27T20:15:00Z`, `2026-11-27T21:15:00.25+01:00`) and epoch seconds.
public enum RFC3339 {
    /// Seconds since the epoch, rounded down (toward -infinity) for fractional seconds, or up
    /// with `roundingUp` (the end of a range: `sharectl --until`); nil if not RFC 3339.
    ///
    /// Accepts `T`/`t`, `Z`/`z`, any number of fraction digits, offsets `+hh:mm`/`-hh:mm`,
    /// and second 60 where a leap second can be, at 23:59 UTC on the last day of a month (RFC 3339,
    /// 5.7); it counts as second 59 of its minute, so it stays in its own hour and day.
    public static func parse(_ text: some StringProtocol, roundingUp: Bool = false) -> Int64? {
        text.utf8.withContiguousStorageIfAvailable { parse(UnsafeRawBufferPointer($0), roundingUp: roundingUp) }
            ?? Array(text.utf8).withUnsafeBytes { parse($0, roundingUp: roundingUp) }
    }

    /// The UTC time `seconds` after the epoch, as `2026-11-27T20:00:00Z`.
    ///
    /// Years outside 0000-9999 are written with as many digits as they need (not RFC 3339).
    public static func format(_ seconds: Int64) -> String {
        let (year, month, day, rest) = civil(seconds)
        guard (0...9999).contains(year) else {
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
                + "\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { write(year, month, day, rest, into: $0) }
    }

    /// `format(seconds)`'s bytes, appended to `buffer` without a `String` in between (an export
    /// writes one per row; the 20-byte `String` was a heap allocation each).
    public static func append(_ seconds: Int64, to buffer: inout [UInt8]) {
        let (year, month, day, rest) = civil(seconds)
        guard (0...9999).contains(year) else { return buffer += format(seconds).utf8 }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: 20))
        buffer.withUnsafeMutableBufferPointer { bytes in
            _ = write(year, month, day, rest, into: UnsafeMutableBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// The date of `seconds` after the epoch, and the seconds into that day.
    private static func civil(_ seconds: Int64) -> (year: Int64, month: Int64, day: Int64, rest: Int64) {
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        return (year, month, day, rest)
    }

    /// Writes the 20 bytes of a time of a four-digit year, digit by digit; returns 20.
    private static func write(_ year: Int64, _ month: Int64, _ day: Int64, _ rest: Int64,
                              into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        func digits(_ value: Int64, _ count: Int, at offset: Int) {
            var value = value
            for index in (offset..<offset + count).reversed() {
                text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        digits(year, 4, at: 0)
        digits(month, 2, at: 5)
        digits(day, 2, at: 8)
        digits(rest / 3600, 2, at: 11)
        digits(rest / 60 % 60, 2, at: 14)
        digits(rest % 60, 2, at: 17)
        for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z")] as [(Int, Unicode.Scalar)] {
            text[offset] = UInt8(ascii: character)
        }
        return 20
    }

    /// `parse` over UTF-8 bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer, roundingUp: Bool = false) -> Int64? {
        guard bytes.count >= 20 else { return nil } // 2026-11-27T20:15:00Z
        var valid = true
        /// The two digits at `offset`; clears `valid` if they are not digits.
        @inline(__always) func twoDigits(_ offset: Int) -> Int64 {
            let tens = bytes[offset] &- UInt8(ascii: "0"), ones = bytes[offset + 1] &- UInt8(ascii: "0")
            if tens > 9 || ones > 9 { valid = false }
            return Int64(tens) * 10 + Int64(ones)
        }
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")

        let year = twoDigits(0) * 100 + twoDigits(2), month = twoDigits(5), day = twoDigits(8)
        let hour = twoDigits(11), minute = twoDigits(14), second = twoDigits(17)
        guard valid, bytes[4] == dash, bytes[7] == dash, bytes[10] | 0x20 == UInt8(ascii: "t"),
              bytes[13] == colon, bytes[16] == colon,
              (1...12).contains(month), (1...daysInMonth(year, month)).contains(day),
              hour < 24, minute < 60, second <= 60
        else { return nil }

        var i = 19
        var fraction = false
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, ByteScan.isDigit(bytes[i]) {
                fraction = fraction || bytes[i] != UInt8(ascii: "0")
                i += 1
            }
            guard i > start, i < bytes.count else { return nil }
        }

        var offset: Int64 = 0
        if bytes[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == dash {
            guard i + 6 <= bytes.count, bytes[i + 3] == colon else { return nil }
            let hours = twoDigits(i + 1), minutes = twoDigits(i + 4)
            guard valid, hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[i] == dash ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == bytes.count else { return nil }

        // The fraction is dropped: the time is never negative relative to its whole second,
        // so truncating it rounds down even before the epoch; rounding up adds the second it began.
        let time = days(fromCivil: year, month, day) * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        guard second < 60 || isLastSecondOfMonth(time) else { return nil }
        return time + (roundingUp && fraction ? 1 : 0)
    }

    /// Whether `time` is 23:59:59 UTC on the last day of its month: where a leap second goes.
    private static func isLastSecondOfMonth(_ time: Int64) -> Bool {
        let (_, _, day, rest) = civil(time + 1)
        return rest == 0 && day == 1
    }

    private static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153 // March = 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        guard value >= 0 else { return digits }
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
