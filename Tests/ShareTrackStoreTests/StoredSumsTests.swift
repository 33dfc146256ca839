import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `top` and `tiers` over a range of hours sum the stored groups in memory (`StoredSums`) and keep
/// those sums for the next answer over the same range, adding the batches applied since where they
/// were kept live: they must follow every batch applied, with live batches and without, whichever
/// ranges are kept together. `top` at one venue over all time, which read its groups here before
/// the rollup per advocate and venue, is asked alongside them.
@Suite struct StoredSumsTests {
    /// Ranges that hold fewer than half of the 12 hours the batches count in (read hour by hour),
    /// and venues over all time.
    static let extents = [
        QueryFilter(since: (RollupTests.hour0 + 7) * 3600),
        QueryFilter(venue: "v1", since: (RollupTests.hour0 + 2) * 3600, until: (RollupTests.hour0 + 5) * 3600),
        QueryFilter(venue: "v1"),
        QueryFilter(venue: "v2", network: "tiktok"),
    ]

    @Test(arguments: [31, 32] as [UInt64], extents.indices)
    func answersFollowEveryAppliedBatch(seed: UInt64, extent: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: seed, [Self.extents[extent]])
    }

    /// Every extent asked in turn: each is kept, and advanced while the others are asked.
    @Test func extentsKeptTogetherFollowEveryAppliedBatch() throws {
        try Self.expectExactAsBatchesAreApplied(seed: 34, Self.extents)
    }

    /// With room for 6 groups only, the attribution cache renumbers its groups at nearly every
    /// answer: the kept sums, numbered the old way, must go with them.
    @Test(arguments: extents.indices)
    func answersStayExactWhenTheCacheRenumbers(extent: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 33, [Self.extents[extent]], groupCapacity: 6)
    }

    /// An extent of more groups than `StoredSums.groupLimit` is left to SQL, with the live groups
    /// in `live_groups`.
    @Test(arguments: extents.indices)
    func extentsTooLargeToSumInMemoryAreAnsweredBySQL(extent: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 35, [Self.extents[extent]], groupLimit: 2)
    }

    /// Asked only between batches, never with one live, the kept sums cannot follow the batches
    /// applied: each answer reads its extent again, most of its groups numbered by the answers
    /// before and the new ones not.
    @Test(arguments: extents.indices)
    func extentsReadAgainWithTheirGroupsNumberedStayExact(extent: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 36, [Self.extents[extent]], liveBatches: false)
    }

    /// The groups of a range not numbered yet are read a few at a time: the last chunk short.
    @Test(arguments: extents.indices)
    func groupsReadInChunksStayExact(extent: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 37, [Self.extents[extent]], storedGroupsAtOnce: 3)
    }

    /// Ranges a few hours apart, asked in turn: each after the first is slid from the one kept
    /// before it (its rows taken away, the new hours' added), with and without an end, moving on
    /// and back.
    @Test(arguments: slidingRanges.indices)
    func rangesSlidFromNearOnesStayExact(ranges: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 38, Self.slidingRanges[ranges], liveBatches: false)
    }

    /// One range a round, each first asked once the others' kept sums have followed batches
    /// applied (their live groups' numbers, found by attributes, beside those of the stored ids).
    @Test(arguments: slidingRanges.indices)
    func rangesSlidFromSumsThatFollowedBatchesStayExact(ranges: Int) throws {
        try Self.expectExactAsBatchesAreApplied(seed: 39, Self.slidingRanges[ranges], oneFilterARound: true)
    }

    static let slidingRanges: [[QueryFilter]] = {
        let hour = { (offset: Int64) -> Int64 in (RollupTests.hour0 + offset) * 3600 }
        let since: [Int64] = [7, 6, 8, 9, 7]
        let bounded: [(Int64, Int64)] = [(2, 5), (3, 6), (1, 4), (1, 5), (4, 6)]
        let until: [Int64] = [3, 4, 2]
        return [
            since.map { QueryFilter(since: hour($0)) },
            bounded.map { QueryFilter(venue: "v1", since: hour($0.0), until: hour($0.1)) },
            until.map { QueryFilter(until: hour($0)) },
        ]
    }()

    @Test func hoursApartCountTheHoursOneRangeHoldsAlone() {
        #expect(StoredSums.hours(of: 5..<10, outside: 7..<12) == [5..<7])
        #expect(StoredSums.hours(of: 5..<10, outside: 3..<8) == [8..<10])
        #expect(StoredSums.hours(of: 5..<10, outside: 6..<8) == [5..<6, 8..<10])
        #expect(StoredSums.hours(of: 5..<10, outside: 12..<14) == [5..<10])
        #expect(StoredSums.hours(of: 5..<10, outside: 0..<20) == [])
        #expect(StoredSums.hoursApart(5..<Int64.max, 7..<Int64.max) == 2)
        #expect(StoredSums.hoursApart(Int64.min..<4, Int64.min..<3) == 1)
        #expect(StoredSums.hoursApart(5..<Int64.max, 5..<9) == nil)
    }

    /// `top` (every ranking) and `tiers` over each of `filters` in turn, from one `Queries` whose
    /// attribution cache holds `groupCapacity` groups at most and reads stored ones
    /// `storedGroupsAtOnce` at a time, which sums at most `groupLimit` stored groups and keeps at
    /// most `advocateLimit` advocates' totals in memory, equal the raw rows' answers as batches are
    /// applied (`liveBatches`: asked with the next batches live too; `oneFilterARound`: only the
    /// next of `filters` after each batch applied).
    static func expectExactAsBatchesAreApplied(seed: UInt64, _ filters: [QueryFilter], liveBatches: Bool = true,
                                               oneFilterARound: Bool = false,
                                               groupCapacity: Int = AttributionCache.capacity,
                                               groupLimit: Int = AttributionCache.capacity,
                                               advocateLimit: Int = AttributionCache.capacity,
                                               storedGroupsAtOnce: Int = 1_000) throws {
        let batches = RollupTests.batches(seed: seed, count: 12)
        let database = try RollupTests.ThreeApplied(batches)
        database.fast.live.attributions.groupCapacity = groupCapacity
        database.fast.live.attributions.storedGroupsAtOnce = storedGroupsAtOnce
        database.fast.live.storedSums.groupLimit = groupLimit
        database.fast.live.storedAdvocates.limit = advocateLimit
        let requests = { (filters: [QueryFilter]) in
            filters.flatMap { filter in
                Ranking.allCases.map { ControlRequest(command: .top, query: Query(by: $0.rawValue, limit: 5, filter: filter)) }
                    + [ControlRequest(command: .tiers, query: Query(filter: filter))]
            }
        }
        for applied in 3..<batches.count {
            let asked = oneFilterARound ? [filters[(applied - 3) % filters.count]] : filters
            // Without live batches first: the answers with them keep the first two, and the next
            // answer after one is applied adds it to the sums (`StoredSums.advance`).
            for live in [[], Array(batches[applied..<min(applied + 3, batches.count)])].prefix(liveBatches ? 2 : 1) {
                let liveData = LiveData(batches: live)
                for request in requests(asked) {
                    let expected = RollupTests.answer(database.raw, request, liveData)
                    #expect(expected.hasPrefix("["), "\(expected)")
                    #expect(RollupTests.answer(database.fast, request, liveData) == expected, "after \(applied) batches, live \(live.count): \(request)")
                }
            }
            try database.store.apply(batches[applied])
        }
    }
}
