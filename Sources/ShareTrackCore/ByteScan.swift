/// Word-at-a-time byte tests shared by the JSON scanner and the field checks.
enum ByteScan {
    /// High bit set in each byte of `word` that is `"`, `\\` or below 0x20; exact up to the first such byte.
    @inline(__always)
    static func specialStringBytes(_ word: UInt64) -> UInt64 {
        let quote = word ^ 0x2222_2222_2222_2222, backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
        return bytesBelow(quote, 1) | bytesBelow(backslash, 1) | bytesBelow(word, 0x20)
    }

    /// High bit set in each byte of `word` below `limit` (at most 0x80); exact up to the first such byte.
    @inline(__always)
    static func bytesBelow(_ word: UInt64, _ limit: UInt64) -> UInt64 {
        (word &- limit &* 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// 3 when `bytes` start with a UTF-8 byte order mark (`EF BB BF`), which a line may have before
    /// its object (.NET's UTF-8 writers and some editors put one first), else 0.
    static func byteOrderMark(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Whether `bytes` equals `word`.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0 ..< word.utf8CodeUnitCount where bytes[i] != w[i] {
            return false
        }
        return true
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Fast path: all ASCII, 32 bytes at a time, then 8.
        var bits: UInt64 = 0
        var i = 0
        while i + 32 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) | bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            i += 32
        }
        while i + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            bits |= UInt64(bytes[i])
            i += 1
        }
        if bits & 0x8080_8080_8080_8080 == 0 { return true }

        i = 0
        while i < bytes.count {
            if i + 8 <= bytes.count, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF // allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else { return false }
            for j in 2 ..< length where bytes[i + j] & 0xC0 != 0x80 {
                return false
            }
            i += length
        }
        return true
    }
}
