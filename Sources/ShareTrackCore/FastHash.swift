/// A fast hash of share tokens for the daemon's in-memory tables and filters (`KeyedTable`, the
/// store's `TokenFilter`): FNV-1a (64-bit) from a basis drawn at random once per process, as
/// Swift's `Hasher` is seeded, so that no producer can work out beforehand which tokens would fall
/// together; then SplitMix64's finalizer (`spread`), which makes every input bit count in every
/// output bit. Not a keyed hash in the cryptographic sense; nothing stores it.
public struct FastHash {
    private static let basis = UInt64.random(in: .min ... .max)
    private var state: UInt64

    public init() {
        state = Self.basis
    }

    /// A hash continued from `state` (another hash's value) instead of the basis.
    public init(state: UInt64) {
        self.state = state
    }

    /// The hash of `token`'s UTF-8 bytes.
    public static func of(_ token: String) -> UInt64 {
        var hash = FastHash()
        hash.add(token)
        return hash.value
    }

    public mutating func add(_ word: UInt64) {
        state = (state ^ word) &* 0x0000_0100_0000_01B3
    }

    /// Adds `token`'s UTF-8 bytes, one at a time; returns whether they are all ASCII.
    @discardableResult
    public mutating func add(_ token: String) -> Bool {
        var bits: UInt8 = 0
        for byte in token.utf8 {
            add(UInt64(byte))
            bits |= byte
        }
        return bits < 0x80
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
