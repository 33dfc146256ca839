/// The syntax rules of the ingest fields, checked on the bytes of the read buffer (no `String` is
/// made for a value that fails them).
enum FieldSyntax {
    /// 1-128 characters of `A-Z a-z 0-9 . _ ~ -`.
    static func isToken(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (1...128).contains(bytes.count) && allIn(bytes, low: 0x03FF_6000_0000_0000, high: 0x47FF_FFFE_87FF_FFFE)
    }

    /// 1-32 characters of `a-z 0-9 _ -`.
    static func isNetwork(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (1...32).contains(bytes.count) && allIn(bytes, low: 0x03FF_2000_0000_0000, high: 0x07FF_FFFE_8000_0000)
    }

    /// Whether every byte is ASCII and in the set given as a bitmap of 0-63 (`low`) and 64-127 (`high`).
    @inline(__always)
    private static func allIn(_ bytes: UnsafeRawBufferPointer, low: UInt64, high: UInt64) -> Bool {
        bytes.allSatisfy { byte in byte < 0x80 && (byte < 0x40 ? low : high) >> (byte & 63) & 1 != 0 }
    }

    /// 1-`maxScalars` Unicode scalars of valid UTF-8, none of them a control character
    /// (U+0000-U+001F, U+007F-U+009F).
    static func isValidText(_ bytes: UnsafeRawBufferPointer, maxScalars: Int = 128) -> Bool {
        // Fast path: printable ASCII, eight bytes at a time.
        if (1...maxScalars).contains(bytes.count) {
            var i = 0, bad: UInt64 = 0
            while i + 8 <= bytes.count {
                let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                bad |= ByteScan.bytesBelow(word, 0x20) | ByteScan.bytesBelow(word ^ 0x7F7F_7F7F_7F7F_7F7F, 1) | word & 0x8080_8080_8080_8080
                i += 8
            }
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x20 || byte >= 0x7F { bad = 1 }
                i += 1
            }
            if bad == 0 { return true }
        }
        var scalars = 0
        for i in bytes.indices {
            let byte = bytes[i]
            // U+0080-U+009F are C2 80-C2 9F; a lead byte is always followed by its continuation.
            if byte < 0x20 || byte == 0x7F || (byte == 0xC2 && bytes[i + 1] < 0xA0) { return false }
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        return (1...maxScalars).contains(scalars)
    }

    /// The value of a JSON number token if it is an integer no greater than `max`, computed exactly.
    static func exactInteger(_ number: UnsafeRawBufferPointer, max: UInt64) -> UInt64? {
        // Fast path: up to 18 plain digits.
        if number.count <= 18 {
            var value: UInt64 = 0
            for byte in number {
                guard ByteScan.isDigit(byte) else { return exactDecimal(number, max: max) }
                value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
            }
            return value <= max ? value : nil
        }
        return exactDecimal(number, max: max)
    }

    /// `exactInteger` for any number: sign, fraction and exponent.
    private static func exactDecimal(_ number: UnsafeRawBufferPointer, max: UInt64) -> UInt64? {
        // The value is mantissa * 10^scale; trailing zeros wait in `zeros` so that mantissa stays small.
        var mantissa: UInt64 = 0
        var scale = 0
        var zeros = 0
        var inFraction = false
        var i = number[0] == UInt8(ascii: "-") ? 1 : 0
        let negative = i == 1

        func times10(_ value: inout UInt64) -> Bool {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            value = product
            return !overflow && product <= max
        }

        digits: while i < number.count {
            let byte = number[i]
            i += 1
            switch byte {
            case UInt8(ascii: "."): inFraction = true; continue
            case UInt8(ascii: "e"), UInt8(ascii: "E"): break digits
            default: break
            }
            if inFraction { scale -= 1 }
            if byte == UInt8(ascii: "0") {
                zeros += 1
                continue
            }
            if mantissa != 0 {
                for _ in 0 ... zeros { guard times10(&mantissa) else { return nil } }
            }
            mantissa += UInt64(byte &- UInt8(ascii: "0"))
            zeros = 0
        }
        guard mantissa != 0 else { return 0 }

        var exponent = 0
        let negativeExponent = i < number.count && number[i] == UInt8(ascii: "-")
        while i < number.count {
            // Saturating: past 2^40 the answer no longer depends on the exponent.
            if ByteScan.isDigit(number[i]) { exponent = min(exponent * 10 + Int(number[i] &- UInt8(ascii: "0")), 1 << 40) }
            i += 1
        }
        scale += zeros + (negativeExponent ? -exponent : exponent)

        guard !negative, scale >= 0 else { return nil }
        for _ in 0 ..< scale { guard times10(&mantissa) else { return nil } }
        return mantissa <= max ? mantissa : nil
    }
}
