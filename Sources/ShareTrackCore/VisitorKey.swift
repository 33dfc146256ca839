import Crypto

/// The secret that visitor ids are hashed with before anything stores them (`visitor_key_file`).
///
/// A visitor's hash is the first 8 bytes of HMAC-SHA256(key, id), read as a big-endian 64-bit
/// integer (0 is taken as 1: 0 marks a free slot in a `VisitorSet`). Without the key a hash cannot
/// be tied to an id, not even by trying likely ids; with it, the same id always gives the same
/// hash, across restarts and across the daemons that share the key.
///
/// 64 bits are enough for exact counting: two different visitors of one share are counted as one
/// only if their hashes collide, which for n visitors of a share happens with probability about
/// n² / 2^65 (10,000 visitors: 3 · 10^-12; a million: 3 · 10^-8).
///
/// `@unchecked Sendable`: swift-crypto does not mark its types `Sendable`. Both stored values are
/// immutable once made: `bytes` is an array, and `keyed` (HMAC with the key already absorbed, so
/// that a hash does not absorb it again) is only ever copied, and a copy that is updated gets its
/// own digest state (swift-crypto's digests are copy-on-write).
public struct VisitorKey: @unchecked Sendable {
    /// The key's length in bytes.
    public static let size = 32

    /// The key's bytes, to write to the key file.
    public let bytes: [UInt8]
    private let keyed: HMAC<SHA256>
    /// The first 16 hex digits of SHA-256(key): names the key (in logs, the shared store) without
    /// revealing it.
    public let fingerprint: String

    /// `bytes` must be `size` bytes long.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.size else { return nil }
        self.bytes = Array(bytes)
        keyed = HMAC<SHA256>(key: SymmetricKey(data: self.bytes))
        fingerprint = String(SHA256.hash(data: Array(bytes)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined().prefix(16))
    }

    /// A fresh key from the system's secure random source.
    public static func random() -> VisitorKey {
        VisitorKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })!
    }

    /// The hash of the visitor id whose UTF-8 bytes are `id`.
    public func hash(_ id: UnsafeRawBufferPointer) -> UInt64 {
        var hmac = keyed
        hmac.update(data: id)
        let code = hmac.finalize()
        let hash = code.withUnsafeBytes { bytes in bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        return max(1, hash)
    }

    /// The hash of `id`.
    public func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }
}
