/// A fast hash of share tokens for the daemon's in-memory tables and filters (`KeyedTable`, the
/// store's `TokenFilter`): each 8 bytes of a token (the last ones padded with zeros, then its
/// length) folded into the state by one full-width multiplication, its high and low halves
/// combined (wyhash's "mum"), from a basis drawn at random once per process, as Swift's `Hasher`
/// is seeded, so that no producer can work out beforehand which tokens would fall together; then
/// SplitMix64's finalizer (`spread`), which makes every input bit count in every output bit. Not
/// a keyed hash in the cryptographic sense; nothing stores it. (FNV-1a before it took a byte at a
/// time: ten multiplications in a chain for a token of ten characters, 5% of the ingest thread;
/// docs/benchmarks.md, session 67.)
public struct FastHash {
    private static let basis = UInt64.random(in: .min ... .max)
    private var state: UInt64

    public init() {
        state = Self.basis
    }

    /// The hash of `token`'s UTF-8 bytes.
    public static func of(_ token: String) -> UInt64 {
        var hash = FastHash()
        hash.add(token)
        return hash.value
    }

    /// Folds `word` into the state: the 128-bit product of the two xored and an odd constant (the
    /// golden ratio's), high half xor low half, so that each of the word's bits moves bits above
    /// and below it.
    public mutating func add(_ word: UInt64) {
        let product = (state ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        state = product.high ^ product.low
    }

    /// Adds `token`'s UTF-8 bytes, eight at a time, and their count; returns whether they are all
    /// ASCII.
    @discardableResult
    public mutating func add(_ token: String) -> Bool {
        var token = token
        return token.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var bits: UInt64 = 0
            var start = 0
            while start + 8 <= bytes.count {
                let word = bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                add(word)
                bits |= word
                start += 8
            }
            if start < bytes.count {
                var last: UInt64 = 0
                for index in start..<bytes.count { last |= UInt64(bytes[index]) << (8 * (index - start)) }
                add(last)
                bits |= last
            }
            add(UInt64(bytes.count))
            return bits & 0x8080_8080_8080_8080 == 0
        }
    }

    public var value: UInt64 { Self.spread(state) }

    /// SplitMix64's finalizer: a bijection of 64-bit words in which every input bit moves about
    /// half of the output bits.
    public static func spread(_ word: UInt64) -> UInt64 {
        var z = word
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
