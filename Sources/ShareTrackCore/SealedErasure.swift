import CLibCrypto

/// An erasure (`sharectl forget`) as the journal holds it: sealed, so that the id it erases is
/// not in the journal's file while the erasure waits there to be shipped to a shared store.
///
/// The seal is AES-256-GCM (libcrypto) under a key derived from the visitor key,
/// HMAC-SHA256(visitor key, "sharetrack erasure seal"), with a random 96-bit nonce: `bytes` are
/// the nonce, the ciphertext of the erasure's plain record (`BatchCodec.plain`) and the 16-byte
/// tag. Only a holder of the visitor key file can open it, and the tag tells a wrong key or a
/// damaged record from an erasure.
public struct SealedErasure: Sendable, Equatable {
    public let erasure: Erasure
    public let bytes: [UInt8]

    private static let nonceSize = 12
    private static let tagSize = 16

    public init(_ erasure: Erasure, key: VisitorKey) {
        self.erasure = erasure
        let plain = BatchCodec.plain(erasure)
        var nonce = [UInt8](repeating: 0, count: Self.nonceSize)
        // As for a new visitor key: no seal is better than a predictable one.
        precondition(RAND_bytes(&nonce, Int32(nonce.count)) == 1, "libcrypto's random generator could not make a nonce")
        var sealed = [UInt8](repeating: 0, count: plain.count)
        var tag = [UInt8](repeating: 0, count: Self.tagSize)
        let done = Self.withCipher(key: key, nonce: nonce, encrypting: true) { context in
            var length: Int32 = 0
            var final = [UInt8](repeating: 0, count: Self.tagSize)
            return EVP_EncryptUpdate(context, &sealed, &length, plain, Int32(plain.count)) == 1
                && EVP_EncryptFinal_ex(context, &final, &length) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagSize), &tag) == 1
        }
        precondition(done, "libcrypto could not seal an erasure")
        bytes = nonce + sealed + tag
    }

    /// Opens `bytes` sealed with `key`.
    public init(opening bytes: [UInt8], key: VisitorKey) throws(BatchCodec.Corrupt) {
        guard bytes.count > Self.nonceSize + Self.tagSize else { throw BatchCodec.Corrupt(description: "a sealed erasure too short") }
        let nonce = Array(bytes.prefix(Self.nonceSize))
        let sealed = Array(bytes.dropFirst(Self.nonceSize).dropLast(Self.tagSize))
        var tag = Array(bytes.suffix(Self.tagSize))
        var plain = [UInt8](repeating: 0, count: sealed.count)
        let opened = Self.withCipher(key: key, nonce: nonce, encrypting: false) { context in
            var length: Int32 = 0
            var final = [UInt8](repeating: 0, count: Self.tagSize)
            return EVP_DecryptUpdate(context, &plain, &length, sealed, Int32(sealed.count)) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagSize), &tag) == 1
                && EVP_DecryptFinal_ex(context, &final, &length) == 1
        }
        guard opened else {
            throw BatchCodec.Corrupt(description: "an erasure sealed with another visitor key than \(key.fingerprint), or damaged")
        }
        erasure = try plain.withUnsafeBytes { plain in Result { () throws(BatchCodec.Corrupt) in try BatchCodec.erasure(plain) } }.get()
        self.bytes = bytes
    }

    /// Runs `body` with an AES-256-GCM context set up with the sealing key and `nonce`.
    private static func withCipher(key: VisitorKey, nonce: [UInt8], encrypting: Bool,
                                   _ body: (OpaquePointer) -> Bool) -> Bool {
        guard let context = EVP_CIPHER_CTX_new() else { return false }
        defer { EVP_CIPHER_CTX_free(context) }
        let sealingKey = sealingKey(key)
        let ready = encrypting
            ? EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, sealingKey, nonce) == 1
            : EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, sealingKey, nonce) == 1
        return ready && body(context)
    }

    /// HMAC-SHA256(visitor key, "sharetrack erasure seal").
    private static func sealingKey(_ key: VisitorKey) -> [UInt8] {
        let label = Array("sharetrack erasure seal".utf8)
        var derived = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        precondition(HMAC(EVP_sha256(), key.bytes, Int32(key.bytes.count), label, label.count, &derived, &length) != nil,
                     "libcrypto could not derive the erasure seal's key")
        return derived
    }
}
