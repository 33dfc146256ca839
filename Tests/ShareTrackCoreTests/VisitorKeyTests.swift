import CLibCrypto
import Testing
import ShareTrackCore
import TestSupport

@Suite("VisitorKey")
struct VisitorKeyTests {
    @Test("a hash is the first 8 bytes of HMAC-SHA256(key, id), big-endian (values from Python's hmac)")
    func knownAnswers() {
        #expect(testKey.hash("alice") == 7_676_475_473_833_880_410)
        #expect(testKey.hash("v-123") == 16_131_036_316_784_902_047)
        #expect(testKey.hash("") == 11_361_573_007_473_198_829)
        #expect(testKey.hash(String(repeating: "x", count: 128)) == 10_885_162_254_414_161_312)
    }

    @Test("every id length from 0 to 200 bytes (across SHA-256's block boundaries) gives libcrypto's HMAC")
    func matchesLibcryptoHMAC() throws {
        var generator = SystemRandomNumberGenerator()
        let key = VisitorKey.random()
        for length in 0 ... 200 {
            let id = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            var code = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
            #expect(HMAC(EVP_sha256(), key.bytes, Int32(key.bytes.count), id, id.count, &code, nil) != nil)
            let expected = max(1, code.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            #expect(id.withUnsafeBytes { key.hash($0) } == expected, "id of \(length) bytes")
        }
    }
}
