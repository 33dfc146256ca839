import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `top` and `tiers` over a range of hours sum the range's stored groups in memory (`StoredRange`)
/// and keep those sums for the next answer over the same hours, adding the batches applied since
/// where they were kept live: they must follow every batch applied, with live batches and without.
@Suite struct RangeRollupTests {
    /// Ranges that hold fewer than half of the 12 hours the batches count in: read hour by hour.
    static let ranges = [
        QueryFilter(since: (RollupTests.hour0 + 7) * 3600),
        QueryFilter(venue: "v1", since: (RollupTests.hour0 + 2) * 3600, until: (RollupTests.hour0 + 5) * 3600),
    ]

    @Test(arguments: [31, 32] as [UInt64], ranges.indices)
    func rangeAnswersFollowEveryAppliedBatch(seed: UInt64, range: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: seed, Self.ranges[range])
    }

    /// With room for 6 groups only, the attribution cache renumbers its groups at nearly every
    /// answer: the kept sums, numbered the old way, must go with them.
    @Test(arguments: ranges.indices)
    func rangeAnswersStayExactWhenTheCacheRenumbers(range: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 33, Self.ranges[range], groupCapacity: 6)
    }

    /// `top` (every ranking) and `tiers` over `filter`, from one `Queries` whose attribution cache
    /// holds `groupCapacity` groups at most, equal the raw rows' answers as batches are applied.
    static func expectExactAsBatchesAreApplied(seed: UInt64, _ filter: QueryFilter,
                                               groupCapacity: Int = AttributionCache.capacity) throws {
        let batches = RollupTests.batches(seed: seed, count: 12)
        let database = try RollupTests.ThreeApplied(batches)
        database.fast.live.attributions.groupCapacity = groupCapacity
        let requests = Ranking.allCases.map { ControlRequest(command: .top, query: Query(by: $0.rawValue, limit: 5, filter: filter)) }
            + [ControlRequest(command: .tiers, query: Query(filter: filter))]
        for applied in 3..<batches.count {
            // Without live batches first: the answers with them keep the first two, and the next
            // answer after one is applied adds it to the sums (`StoredRange.advance`).
            for live in [[], Array(batches[applied..<min(applied + 3, batches.count)])] {
                let liveData = LiveData(batches: live)
                for request in requests {
                    let expected = RollupTests.answer(database.raw, request, liveData)
                    #expect(expected.hasPrefix("["), "\(expected)")
                    #expect(RollupTests.answer(database.fast, request, liveData) == expected, "after \(applied) batches, live \(live.count): \(request)")
                }
            }
            try database.store.apply(batches[applied])
        }
    }
}
