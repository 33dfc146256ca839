/// An erasure (`sharectl forget`) as the journal holds it: sealed (`JournalSeal`), so that the id
/// it erases is not in the journal's file while the erasure waits there to be shipped to a shared
/// store. Inside the seal is the erasure's plain record (`BatchCodec.plain`).
public struct SealedErasure: Sendable, Equatable {
    public let erasure: Erasure
    public let bytes: [UInt8]

    public init(_ erasure: Erasure, key: VisitorKey) {
        self.erasure = erasure
        bytes = JournalSeal.seal(BatchCodec.plain(erasure), key: key)
    }

    /// Opens `bytes` sealed with `key`.
    public init(opening bytes: [UInt8], key: VisitorKey) throws(BatchCodec.Corrupt) {
        let plain = try JournalSeal.open(bytes, key: key)
        erasure = try plain.withUnsafeBytes { plain in Result { () throws(BatchCodec.Corrupt) in try BatchCodec.erasure(plain) } }.get()
        self.bytes = bytes
    }
}

/// A visitor pair as the journal holds it once its visitor was forgotten while the batch waited
/// to be shipped: sealed (`JournalSeal`), so the hash is in no file, yet the shared store still
/// gets it, to tell a repeat of a visit it has from another node (then the erasure deletes it).
/// Inside the seal: the pair's token, hash, time and whether it is kept apart.
public struct SealedPair: Sendable, Equatable {
    public let pair: VisitorPair
    public let bytes: [UInt8]

    public init(_ pair: VisitorPair, key: VisitorKey) {
        self.pair = pair
        var writer = ByteWriter()
        writer.string(pair.token)
        writer.fixed(pair.visitor)
        writer.signed(pair.time)
        writer.byte(pair.apart ? 1 : 0)
        bytes = JournalSeal.seal(writer.bytes, key: key)
    }

    /// Opens `bytes` sealed with `key`.
    public init(opening bytes: [UInt8], key: VisitorKey) throws(BatchCodec.Corrupt) {
        let plain = try JournalSeal.open(bytes, key: key)
        pair = try plain.withUnsafeBytes { plain in
            Result { () throws(BatchCodec.Corrupt) in
                var reader = ByteReader(plain)
                let pair = VisitorPair(token: try reader.string(), visitor: try reader.fixed(), time: try reader.signed(),
                                       apart: try reader.byte() == 1)
                guard reader.isAtEnd else { throw BatchCodec.Corrupt(description: "trailing bytes after a sealed pair") }
                return pair
            }
        }.get()
        self.bytes = bytes
    }
}
