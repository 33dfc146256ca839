import CLibCrypto

/// How the journal keeps what it must not hold in clear (`SealedErasure`, `SealedPair`): sealed
/// with AES-256-GCM (libcrypto) under a key derived from the visitor key,
/// HMAC-SHA256(visitor key, "sharetrack erasure seal"), with a random 96-bit nonce. Sealed bytes
/// are the nonce, the ciphertext and the 16-byte tag. Only a holder of the visitor key file can
/// open them, and the tag tells a wrong key or damaged bytes from a record.
enum JournalSeal {
    private static let nonceSize = 12
    private static let tagSize = 16

    static func seal(_ plain: [UInt8], key: VisitorKey) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: nonceSize)
        // As for a new visitor key: no seal is better than a predictable one.
        precondition(RAND_bytes(&nonce, Int32(nonce.count)) == 1, "libcrypto's random generator could not make a nonce")
        var sealed = [UInt8](repeating: 0, count: plain.count)
        var tag = [UInt8](repeating: 0, count: tagSize)
        let done = withCipher(key: key, nonce: nonce, encrypting: true) { context in
            var length: Int32 = 0
            var final = [UInt8](repeating: 0, count: tagSize)
            return EVP_EncryptUpdate(context, &sealed, &length, plain, Int32(plain.count)) == 1
                && EVP_EncryptFinal_ex(context, &final, &length) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), &tag) == 1
        }
        precondition(done, "libcrypto could not seal a journal record")
        return nonce + sealed + tag
    }

    /// The plain bytes of `bytes` sealed with `key`.
    static func open(_ bytes: [UInt8], key: VisitorKey) throws(BatchCodec.Corrupt) -> [UInt8] {
        guard bytes.count > nonceSize + tagSize else { throw BatchCodec.Corrupt(description: "a sealed record too short") }
        let nonce = Array(bytes.prefix(nonceSize))
        let sealed = Array(bytes.dropFirst(nonceSize).dropLast(tagSize))
        var tag = Array(bytes.suffix(tagSize))
        var plain = [UInt8](repeating: 0, count: sealed.count)
        let opened = withCipher(key: key, nonce: nonce, encrypting: false) { context in
            var length: Int32 = 0
            var final = [UInt8](repeating: 0, count: tagSize)
            return EVP_DecryptUpdate(context, &plain, &length, sealed, Int32(sealed.count)) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &tag) == 1
                && EVP_DecryptFinal_ex(context, &final, &length) == 1
        }
        guard opened else {
            throw BatchCodec.Corrupt(description: "a record sealed with another visitor key than \(key.fingerprint), or damaged")
        }
        return plain
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
                     "libcrypto could not derive the journal seal's key")
        return derived
    }
}
