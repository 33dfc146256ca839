import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `venues`, `tiers`, the report's networks and `top` over a range sum the stored rows in memory
/// (`RangeSums`; `top` where neither `StoredSums` nor the all-time rows answer, which here, over
/// fewer than 48 stored hours, they never do): read as the range's rows, or as all time less the
/// hours outside where the range holds most of the stored hours (but for
/// `Queries.hoursTakenAwayBySQL` hours outside or fewer, by SQL); past
/// `Queries.rangeGroupsInMemory` group ids, by SQL. Each way they must answer as the raw rows do,
/// with live batches and without, as batches are applied.
@Suite struct RangeSumsTests {
    /// Ranges of the 12 hours the batches count in (`RollupTests.batches`): holding fewer than
    /// half of them, most of them (read as all time less the rest), none, and every one.
    static let ranges: [(since: Int64?, until: Int64?)] = [(7, nil), (2, 5), (nil, 3), (1, 11), (2, nil), (nil, 10),
                                                          (20, nil), (-5, 30)]
    /// The filters asked over each range.
    static let filters = [
        QueryFilter(), QueryFilter(venue: "v1"), QueryFilter(campaign: "c2", network: "tiktok"),
        QueryFilter(tier: .micro), QueryFilter(venue: "v0", tier: .nano),
    ]

    /// The ways: in memory but over all time less 2 hours or fewer (by SQL here), every range in
    /// memory, and every range by SQL.
    static let ways: [(groupsInMemory: Int, hoursBySQL: Int64)] = [
        (RangeSums.defaultMostGroups, Source.defaultHoursTakenAwayBySQL), (RangeSums.defaultMostGroups, 0), (0, 0),
    ]

    @Test(arguments: [41, 42] as [UInt64], ways.indices)
    func rangesAnswerLikeTheRawRows(seed: UInt64, way: Int) throws {
        let batches = RollupTests.batches(seed: seed, count: 12)
        let database = try RollupTests.ThreeApplied(batches)
        (database.fast.rangeGroupsInMemory, database.fast.hoursTakenAwayBySQL) = Self.ways[way]
        // `tiers` over a range that holds few hours is summed per group first (`StoredSums`) unless
        // it has more groups than that keeps: none here.
        database.fast.live.storedSums.groupLimit = 0
        let hour = { (offset: Int64?) in offset.map { (RollupTests.hour0 + $0) * 3600 } }
        let requests = Self.ranges.flatMap { range in
            Self.filters.flatMap { filter in
                var filter = filter
                (filter.since, filter.until) = (hour(range.since), hour(range.until))
                return [ControlRequest.Command.venues, .tiers, .networks].map { ControlRequest(command: $0, query: Query(filter: filter)) }
                    + Ranking.allCases.map { ControlRequest(command: .top, query: Query(by: $0.rawValue, limit: 3, filter: filter)) }
            }
        }
        for applied in 3..<batches.count {
            for live in [[], Array(batches[applied..<min(applied + 3, batches.count)])] {
                let liveData = LiveData(batches: live)
                for request in requests {
                    let expected = RollupTests.answer(database.raw, request, liveData)
                    #expect(expected.hasPrefix("["), "\(expected)")
                    #expect(RollupTests.answer(database.fast, request, liveData) == expected,
                            "after \(applied) batches, live \(live.count): \(request)")
                }
            }
            try database.store.apply(batches[applied])
        }
    }
}
