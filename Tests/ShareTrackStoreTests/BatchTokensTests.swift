import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `BatchTokens` cuts the live batches down to a few tokens' rows exactly as `Batch.only` does,
/// while batches arrive (the last one growing first) and are applied, each final batch indexed once.
@Suite struct BatchTokensTests {
    /// A batch's counter rows and shares, comparable.
    struct Rows: Equatable {
        var counters: [CounterKey: Counters]
        var shares: [ShareRecord]

        init(_ batch: Batch) {
            counters = batch.counters
            shares = batch.shares
        }
    }

    @Test(arguments: [71, 72, 73] as [UInt64])
    func partsAreWhatOnlySelects(seed: UInt64) {
        let batches = RollupTests.batches(seed: seed, count: 12)
        var random = RollupTests.Random(state: seed)
        let tokens = Set(batches.flatMap { $0.counters.keys.map(\.token) + $0.shares.map(\.token) })
        var index = BatchTokens()
        var checked = 0
        for applied in 0..<batches.count - 3 {
            for growing in [0.3, 0.7, 1.0] {
                let live = Array(batches[applied..<applied + 3]) + [RollupTests.part(of: batches[applied + 3], growing)]
                let asked = Set(tokens.sorted().shuffled(using: &random).prefix(Int.random(in: 1...6, using: &random)))
                let parts = index.only(asked, of: live)
                #expect(parts.map(\.generation) == live.map(\.generation))
                #expect(parts.map(Rows.init) == live.map { Rows($0.only(asked.contains)) }, "\(asked)")
                checked += parts.reduce(0) { $0 + $1.counters.count }
            }
        }
        #expect(checked > 50)
    }
}
