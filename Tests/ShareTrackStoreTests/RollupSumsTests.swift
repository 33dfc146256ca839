import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `RollupWriter.sumPerKey`: the rows a batch adds to a rollup, one per key, in key order, each
/// with the sum of that key's counters.
@Suite struct RollupSumsTests {
    @Test(arguments: [0, 1, 2, 17, 1_000])
    func eachKeyIsSummedOnceInKeyOrder(rowCount: Int) {
        var random = RollupTests.Random(state: UInt64(rowCount))
        var rows: [(key: RollupKey, counters: Counters)] = (0..<rowCount).map { _ in
            var counters = Counters()
            counters.clicks = Int64.random(in: 1...9, using: &random)
            counters.value = Money(thousandths: Int64.random(in: 0...5_000, using: &random))
            return (RollupKey(hour: Int64.random(in: 0...3, using: &random), id: Int64.random(in: 0...20, using: &random)), counters)
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
