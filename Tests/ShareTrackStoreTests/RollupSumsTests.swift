import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// `RollupWriter.sumPerKey`: the rows a batch adds to a rollup, one per key, in key order, each
/// with the sum of that key's counters.
@Suite struct RollupSumsTests {
    /// Keys drawn from some hours and ids: small ranges, a batch's (radix sorted in one pass, or
    /// several), negative and extreme ones, and ranges too wide to pack into 64 bits together
    /// (`RollupKey.order`'s comparison sort).
    static let ranges: [(hours: ClosedRange<Int64>, ids: ClosedRange<Int64>)] = [
        (0...3, 0...20), (490_000...490_167, 1...300_000), (-5...5, -3...3), (0...0, 1...Int64.max),
        (Int64.min...Int64.max, 0...1), (-1...1, Int64.min...Int64.max),
    ]

    @Test(arguments: [0, 1, 2, 17, 1_000, 20_000], ranges.indices)
    func eachKeyIsSummedOnceInKeyOrder(rowCount: Int, range: Int) {
        let (hours, ids) = Self.ranges[range]
        var random = SplitMix(seed: UInt64(rowCount * 10 + range))
        var rows: [(key: RollupKey, counters: Counters)] = (0..<rowCount).map { _ in
            var counters = Counters()
            counters.clicks = Int64.random(in: 1...9, using: &random)
            counters.value = Money(thousandths: Int64.random(in: 0...5_000, using: &random))
            // Both ends of each range, often: a handful of values repeat, so keys repeat too.
            func draw(_ range: ClosedRange<Int64>) -> Int64 {
                [range.lowerBound, range.upperBound, Int64.random(in: range, using: &random)][Int.random(in: 0...2, using: &random)]
            }
            return (RollupKey(hour: draw(hours), id: draw(ids)), counters)
        }
        // Keyed by [hour, id].
        var expected: [[Int64]: Counters] = [:]
        for row in rows { expected[[row.key.hour, row.key.id], default: Counters()].add(row.counters) }
        RollupWriter.sumPerKey(&rows)
        #expect(rows.map { [$0.key.hour, $0.key.id] } == expected.keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(rows.allSatisfy { expected[[$0.key.hour, $0.key.id]] == $0.counters })
        #expect(rows.reduce(0) { $0 + $1.counters.clicks } == expected.values.reduce(0) { $0 + $1.clicks })
    }
}
