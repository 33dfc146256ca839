import Testing

@testable import ShareTrackCore

/// The tokens' hash that `KeyedTable` and the store's `TokenFilter` find them by: equal bytes hash
/// the same, near tokens apart, and the bits a table takes its places and tags from spread evenly.
@Suite("Fast hash")
struct FastHashTests {
    @Test("the same bytes hash the same, however the string was made")
    func sameBytes() {
        let long = String(repeating: "tok", count: 9)
        #expect(FastHash.of("abc") == FastHash.of(String("xabc".dropFirst())))
        #expect(FastHash.of(long) == FastHash.of(String(decoding: Array(long.utf8), as: UTF8.self)))
        #expect(FastHash.of("") == FastHash.of(String()))
    }

    @Test("tokens of 0 to 25 bytes that differ in one byte, or in their length, hash apart")
    func nearTokensApart() {
        var tokens: Set<String> = []
        for length in 0...24 {
            let base = Array(repeating: UInt8(ascii: "a"), count: length)
            tokens.insert(String(decoding: base, as: UTF8.self))
            // The last word padded with zeros is told from one that ends in a zero byte.
            tokens.insert(String(decoding: base + [0], as: UTF8.self))
            for position in base.indices {
                for byte in "bZ0~-".utf8 {
                    var changed = base
                    changed[position] = byte
                    tokens.insert(String(decoding: changed, as: UTF8.self))
                }
            }
        }
        #expect(Set(tokens.map(FastHash.of)).count == tokens.count)
    }

    @Test("a token is ASCII unless some byte of it, in a whole word or the last, is not")
    func asciiFound() {
        for length in 1...20 {
            #expect(Self.isASCII(String(repeating: "x", count: length)))
            for position in 0..<length {
                var characters = Array(repeating: Character("x"), count: length)
                characters[position] = "é"
                #expect(!Self.isASCII(String(characters)))
            }
        }
    }

    static func isASCII(_ token: String) -> Bool {
        var hash = FastHash()
        return hash.add(token)
    }

    @Test("the low half (a place) and the top bits (a tag) spread evenly over 100,000 tokens")
    func evenSpread() {
        let hashes = (0..<100_000).map { FastHash.of("t\($0)") }
        #expect(Set(hashes).count == hashes.count)
        var places = [Int](repeating: 0, count: 64)
        var tags = [Int](repeating: 0, count: 64)
        for hash in hashes {
            places[Int((hash & 0xFFFF_FFFF) >> 26)] += 1
            tags[Int(hash >> 58)] += 1
        }
        // 1,562.5 a bucket expected, a standard deviation of about 39.
        #expect(places.allSatisfy { (1_250...1_875).contains($0) })
        #expect(tags.allSatisfy { (1_250...1_875).contains($0) })
    }
}
