import ShareTrackCore

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same data on every run.
public struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return FastHash.spread(state)
    }

    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
