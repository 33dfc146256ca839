import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// A few tokens' rows looked up at a batch's hours (`Batch.only(_:at:)`, through `BatchHours`) are
/// exactly what `Batch.only` selects by walking every row, while batches arrive (the last one
/// growing first) and are applied.
@Suite struct BatchHoursTests {
    /// A batch's counter rows (in any order) and shares, comparable.
    struct Rows: Equatable {
        var counters: [CounterKey: Counters]
        var shares: [ShareRecord]

        init(_ batch: Batch) {
            counters = Dictionary(uniqueKeysWithValues: batch.counters.lazy.map { ($0.key, $0.value) })
            shares = batch.shares
        }
    }

    /// Batches of many counter rows over a few hours, as the daemon's are: looking a few tokens up
    /// at each hour is then fewer lookups than the batch has rows.
    static func denseBatches(seed: UInt64, count: Int) -> [Batch] {
        var random = SplitMix(seed: seed)
        return (1...count).map { generation in
            var batch = Batch(generation: UInt64(generation))
            for share in RollupTests.batches(seed: seed &+ UInt64(generation), count: 1)[0].shares { batch.add(share) }
            for _ in 0..<150 {
                var counters = Counters()
                counters.clicks = Int64.random(in: 1...3, using: &random)
                let hour = RollupTests.hour0 + Int64.random(in: 0..<3, using: &random)
                batch.add(counters, at: CounterKey(token: "t\(Int.random(in: 0..<60, using: &random))", hour: hour))
            }
            batch.events = 1
            return batch
        }
    }

    @Test(arguments: [71, 72, 73] as [UInt64])
    func lookingUpAtTheHoursFindsWhatOnlySelects(seed: UInt64) {
        var random = SplitMix(seed: seed)
        for batch in Self.denseBatches(seed: seed, count: 5) + RollupTests.batches(seed: seed, count: 5) {
            for asked in [1, 3, 40] {
                let tokens = Set((0..<60).map { "t\($0)" }.shuffled(using: &random).prefix(asked))
                #expect(Rows(batch.only(tokens, at: batch.hours)) == Rows(batch.only(tokens.contains)), "\(tokens)")
            }
        }
    }

    @Test(arguments: [74, 75] as [UInt64])
    func partsStayExactAsBatchesArriveAndAreApplied(seed: UInt64) {
        let batches = Self.denseBatches(seed: seed, count: 10)
        var random = SplitMix(seed: seed)
        var hours = BatchHours()
        var found = 0
        for applied in 0..<batches.count - 3 {
            for growing in [0.3, 0.7, 1.0] {
                let live = Array(batches[applied..<applied + 3]) + [RollupTests.part(of: batches[applied + 3], growing)]
                let asked = Set((0..<60).map { "t\($0)" }.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
                let parts = hours.only(asked, of: live)
                #expect(parts.map(\.generation) == live.map(\.generation))
                #expect(parts.map(Rows.init) == live.map { Rows($0.only(asked.contains)) }, "\(asked)")
                found += parts.reduce(0) { $0 + $1.counters.count }
            }
        }
        #expect(found > 100)
    }
}
