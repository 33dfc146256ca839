/// Reads what `ByteWriter` wrote; every read checks the bounds.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    /// The token the last record named.
    private(set) var lastToken: String?
    /// The hour of the last counter delta (version 1 visitor pairs take it).
    var lastHour: Int64?

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(BatchCodec.Corrupt) -> UInt8 {
        guard offset < bytes.count else { throw BatchCodec.Corrupt(description: "the batch ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func unsigned() throws(BatchCodec.Corrupt) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 64, by: 7) {
            let byte = try byte()
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
        }
        throw BatchCodec.Corrupt(description: "a number is too long")
    }

    mutating func signed() throws(BatchCodec.Corrupt) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func fixed() throws(BatchCodec.Corrupt) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw BatchCodec.Corrupt(description: "the batch ends early") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A length, at most what the bytes left could hold (one byte an item).
    mutating func count() throws(BatchCodec.Corrupt) -> Int {
        let count = try unsigned()
        guard count <= UInt64(bytes.count - offset) else { throw BatchCodec.Corrupt(description: "a length runs past the batch") }
        return Int(count)
    }

    mutating func string() throws(BatchCodec.Corrupt) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    }

    /// A length and that many bytes.
    mutating func counted() throws(BatchCodec.Corrupt) -> [UInt8] {
        let length = try count()
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    mutating func optional() throws(BatchCodec.Corrupt) -> String? {
        try byte() == 0 ? nil : try string()
    }

    mutating func token() throws(BatchCodec.Corrupt) -> String {
        let token = try string()
        lastToken = token
        return token
    }
}
