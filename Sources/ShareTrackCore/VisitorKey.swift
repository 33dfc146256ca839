import CLibCrypto

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
/// The hash runs once per click on the ingest path, so it is computed without allocating: the key
/// is absorbed once, into two SHA-256 states (libcrypto's `SHA256_CTX`, a plain value) that have
/// hashed the key's inner and outer HMAC pads; each hash copies them on the stack and adds the id,
/// then the inner digest (RFC 2104). libcrypto's `HMAC` and swift-crypto's give the same result
/// but allocate a digest context per id.
public struct VisitorKey: Sendable {
    /// The key's length in bytes.
    public static let size = 32

    /// The key's bytes, to write to the key file.
    public let bytes: [UInt8]
    /// SHA-256 after the block `key ^ ipad`, and after `key ^ opad`.
    private let inner: SHA256_CTX
    private let outer: SHA256_CTX
    /// The first 16 hex digits of SHA-256(key): names the key (in logs, the shared store) without
    /// revealing it.
    public let fingerprint: String

    /// `fingerprint`'s 64 bits, as SQLite stores them.
    public var fingerprintBits: Int64 { Int64(bitPattern: UInt64(fingerprint, radix: 16) ?? 0) }

    /// `bytes` must be `size` bytes long.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.size else { return nil }
        self.bytes = Array(bytes)
        inner = Self.state(afterBlock: self.bytes, xor: 0x36)
        outer = Self.state(afterBlock: self.bytes, xor: 0x5C)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256(self.bytes, self.bytes.count, &digest)
        fingerprint = String(digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined().prefix(16))
    }

    /// A fresh key from libcrypto's secure random generator (seeded from the system's source).
    public static func random() -> VisitorKey {
        var bytes = [UInt8](repeating: 0, count: size)
        // It fails only when the system's source cannot seed it: no key is better than a weak one.
        precondition(RAND_bytes(&bytes, Int32(size)) == 1, "libcrypto's random generator could not make a visitor key")
        return VisitorKey(bytes: bytes)!
    }

    /// The hash of the visitor id whose UTF-8 bytes are `id`.
    public func hash(_ id: UnsafeRawBufferPointer) -> UInt64 {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { digest in
            let out = digest.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var state = inner
            SHA256_Update(&state, id.baseAddress, id.count)
            SHA256_Final(out, &state)
            state = outer
            SHA256_Update(&state, out, Int(SHA256_DIGEST_LENGTH))
            SHA256_Final(out, &state)
        }
        return max(1, UInt64(bigEndian: digest.0))
    }

    /// The hash of `id`.
    public func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// SHA-256 after one block: `key`, padded with zeros to the block size (64 bytes), each byte xor `pad`.
    private static func state(afterBlock key: [UInt8], xor pad: UInt8) -> SHA256_CTX {
        let block = (key + [UInt8](repeating: 0, count: 64 - key.count)).map { $0 ^ pad }
        var state = SHA256_CTX()
        SHA256_Init(&state)
        SHA256_Update(&state, block, block.count)
        return state
    }
}
