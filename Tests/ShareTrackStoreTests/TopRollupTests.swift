import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// `top` over all time read from the first rows of the all-time advocate rollup (`topMerged`, and
/// `QueryText.topOfSingleGroups` while every advocate has one advocate group) against the raw rows,
/// on random data with live batches arriving and applied one by one. Without a filter, `top` reads
/// those only when there are too many advocates to keep their totals in memory
/// (`StoredAdvocates`): these tests keep none.
@Suite struct TopRollupTests {
    /// Whether the database at `path` has one advocate group per advocate (the path's condition).
    private static func oneGroupPerAdvocate(_ path: String) throws -> Bool {
        try Database(path: path, mode: .readOnly)
            .prepare("SELECT COUNT(*) = COUNT(DISTINCT advocate) FROM advocate_groups").rows { $0.int64(0) } == [1]
    }

    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func theFirstRowsOfTheAdvocateRollupRankLikeTheRawRows(seed: UInt64) throws {
        let batches = RollupTests.batches(seed: seed, count: 16, oneGroupPerAdvocate: true)
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: batches)
        #expect(try Self.oneGroupPerAdvocate(database.path))
        try RollupTests.expectExactAsBatchesArrive(batches, seed: seed, allTime: true, keptAdvocates: 0)
    }

    /// With fewer stored rows read than advocates, the live advocates past them are told apart by
    /// their live counters (or read when those could rank), and ties that deep fall back to SQL;
    /// limits past `depth` are ranked by sorting every total rather than kept while reading.
    @Test(arguments: [(41, 0), (42, 1), (43, 2), (44, 0)] as [(UInt64, Int)])
    func liveAdvocatesPastTheRowsReadRankLikeTheRawRows(seed: UInt64, depth: Int) throws {
        let batches = RollupTests.batches(seed: seed, count: 16, oneGroupPerAdvocate: true)
        try RollupTests.expectExactAsBatchesArrive(batches, seed: seed, allTime: true, topDepth: depth,
                                                   keptWhileReading: depth, keptAdvocates: 0)
    }

    /// Advocates with several groups (networks and tiers): the rows read in ranking order bound the
    /// advocates past them by `most` times the last row's key, live or not.
    @Test(arguments: [(45, 0), (46, 1), (47, 3), (48, 6)] as [(UInt64, Int)])
    func advocatesWithSeveralGroupsRankLikeTheRawRows(seed: UInt64, depth: Int) throws {
        try RollupTests.expectExactAsBatchesArrive(RollupTests.batches(seed: seed, count: 16), seed: seed, allTime: true,
                                                   topDepth: depth, keptAdvocates: 0)
    }

    /// The rows read in ranking order answer (rather than the SQL over every advocate) for some
    /// depths, limits and rankings when advocates have several groups, and then exactly.
    @Test(arguments: [51, 52, 53] as [UInt64])
    func theRowsReadAnswerForAdvocatesWithSeveralGroups(seed: UInt64) throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: seed, count: 16))
        let most = try queries.snapshot(nil) { try queries.advocateGroups.most() }
        #expect(most > 1)
        var answered: [Int: Int] = [:]  // by depth
        for depth in [0, 1, 3, 8] {
            queries.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for network in [nil, "tiktok"] {
                guard let key = ranking.additiveKey else { continue }
                let filter = QueryFilter(network: network)
                let expected = try queries.snapshot(nil) { try queries.top(ranking, limit: limit, filter, .raw) }
                let merged = try queries.snapshot(nil) {
                    try queries.topMerged(limit: limit, filter, ranking: ranking, key: key, most: most)
                }
                guard let merged else { continue }
                answered[depth, default: 0] += 1
                #expect(merged == expected, "\(ranking) \(limit) \(filter) depth \(depth)")
            } } }
        }
        // Depths up to 3 read fewer rows than the advocates have (the bound decides), 8 often all.
        #expect(answered.filter { $0.key <= 3 }.values.reduce(0, +) > 0, "\(answered)")
    }

    /// `top` at one venue or for one campaign over all time reads the rollup per advocate and
    /// venue, or per advocate and campaign, one row per advocate there: the rows read in ranking
    /// order answer at every depth, as the raw rows do.
    @Test(arguments: [
        (Rollup.venueAdvocates, ["v0", "v1", "v2", "nowhere"].map { QueryFilter(venue: $0) }),
        (Rollup.campaignAdvocates, ["c1", "c2", "none"].map { QueryFilter(campaign: $0) }),
    ])
    func aPlacesFirstRowsRankLikeTheRawRows(rollup: Rollup, filters: [QueryFilter]) throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: 54, count: 16))
        #expect(filters.allSatisfy { QueryText.advocateRollup($0) == rollup && QueryText.readsOneRowPerAdvocate($0) })
        #expect(!QueryText.readsOneRowPerAdvocate(QueryFilter(network: "tiktok")))
        var answered = 0
        for depth in [0, 1, 3, 8] {
            queries.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for filter in filters {
                guard let key = ranking.additiveKey else { continue }
                let expected = try queries.snapshot(nil) { try queries.top(ranking, limit: limit, filter, .raw) }
                let merged = try queries.snapshot(nil) { try queries.topMerged(limit: limit, filter, ranking: ranking, key: key, most: 1) }
                guard let merged else { continue }
                answered += 1
                #expect(merged == expected, "\(ranking) \(limit) \(filter) depth \(depth)")
            } } }
        }
        #expect(answered > 25 * filters.count, "\(answered)")
    }

    /// `top` at a venue or in a campaign with a network or a tier over all time ranks rows that
    /// bound each advocate's total (`QueryText.boundingRows`: locally the place's, as they are or
    /// only those of the advocates with a share group under the filter; in the shared store the
    /// network's and tier's, as they are or summed per advocate, then the campaign's) and sums the
    /// answer's own rows for the advocates read: at every depth, with each, the answers it gives
    /// are the raw rows'; advocates read there without a row under the filter are left out. The
    /// rows of the filter's advocates decide where the place's do not.
    @Test func aPlaceWithANetworkOrATierRanksLikeTheRawRows() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: 55, count: 16))
        let filters = [
            QueryFilter(venue: "v1", tier: .nano), QueryFilter(venue: "v0", network: "tiktok"),
            QueryFilter(venue: "v2", network: "instagram", tier: .micro), QueryFilter(venue: "nowhere", tier: .nano),
            QueryFilter(campaign: "c1", network: "tiktok"), QueryFilter(campaign: "c2", tier: .micro),
            QueryFilter(campaign: "c1", network: "instagram", tier: .nano),
        ]
        #expect(Queries.text.boundingRows(QueryFilter(campaign: "c2")).isEmpty)
        #expect(Queries.text.boundingRows(QueryFilter(venue: "v1", campaign: "c1", tier: .nano)).isEmpty)
        #expect(Queries.text.boundingRows(QueryFilter(venue: "v1")).isEmpty)
        let rollups = Source.rollups(storedHours: nil)
        let tier = QueryFilter(campaign: "c1", tier: .nano)
        let campaign = QueryText.Bounds(QueryFilter(campaign: "c1"), summed: false)
        #expect(Queries.text.bounds(of: tier, limit: TopMerge.largestLimit, over: rollups)
                == [campaign, QueryText.Bounds(QueryFilter(campaign: "c1"), summed: false, among: tier)])
        #expect(Queries.text.bounds(of: tier, limit: TopMerge.largestLimit + 1, over: rollups).isEmpty)
        let venue = QueryFilter(venue: "v1", network: "x")
        #expect(Queries.text.boundingRows(venue) == [QueryText.Bounds(QueryFilter(venue: "v1"), summed: false, among: venue)])
        #expect(QueryText(.postgres).boundingRows(tier) == [QueryText.Bounds(QueryFilter(tier: .nano), summed: false),
                                                           QueryText.Bounds(QueryFilter(tier: .nano), summed: true), campaign])
        let most = try queries.snapshot(nil) { try queries.advocateGroups.most() }
        #expect(most > 1)
        var answered = 0
        var decidedOnlyAmong = 0
        for depth in [0, 1, 3, 8, 40] {
            queries.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for filter in filters {
                guard let key = ranking.additiveKey else { continue }
                let expected = try queries.snapshot(nil) { try queries.top(ranking, limit: limit, filter, .raw) }
                // Both dialects' rows, each asked of this database; as they are only where each is
                // an advocate's whole total there.
                let bounds = Queries.text.boundingRows(filter) + QueryText(.postgres).boundingRows(filter)
                var decided: [QueryText.Bounds] = []
                for bounds in bounds where bounds.summed || QueryText.readsOneRowPerAdvocate(bounds.filter) {
                    let merged = try queries.snapshot(nil) {
                        try queries.topMerged(limit: limit, filter, bounds: bounds, ranking: ranking, key: key, most: 1)
                    }
                    guard let merged else { continue }
                    decided.append(bounds)
                    #expect(merged == expected, "\(ranking) \(limit) \(filter) \(bounds) depth \(depth)")
                }
                answered += decided.count
                let place = QueryText.Bounds(QueryFilter(campaign: filter.campaign), summed: false)
                if filter.campaign != nil, decided.contains(where: { $0.among != nil }), !decided.contains(place) {
                    decidedOnlyAmong += 1
                }
            } } }
        }
        #expect(answered > 10 * filters.count, "\(answered)")
        #expect(decidedOnlyAmong > 0)
    }

    /// Once an advocate has a second group (another network), `top` sums every advocate's groups
    /// again, and stays exact.
    @Test func anAdvocateWithASecondGroupIsSummedOverBoth() throws {
        var batches = RollupTests.batches(seed: 35, count: 12, oneGroupPerAdvocate: true)
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: batches)
        queries.live.storedAdvocates.limit = 0
        let groups = try AdvocateGroupCount(queries.database)
        #expect(try groups.most() == 1)
        var second = Batch(generation: 13)
        let attributes = ShareAttributes(advocate: "a1", venue: "v0", campaign: nil, network: "x", followers: 10)
        second.add(ShareRecord(token: "second", attributes: attributes, tier: .nano, time: batches[0].shares.first?.time ?? 0))
        var counters = Counters()
        counters.shares = 1
        counters.reach = 10
        counters.clicks = 500
        counters.uniqueClicks = 500
        second.add(counters, at: CounterKey(token: "second", hour: (batches[0].shares.first?.time ?? 0) / 3600))
        second.events = 1
        batches.append(second)
        try RollupTests.expectSameAnswers(database, live: [second], seed: 36, fast: queries, count: 40, allTime: true)
        try Store(path: database.path, visitorKey: testKey).apply(second)
        #expect(try groups.most() == 2)
        try RollupTests.expectSameAnswers(database, live: [], seed: 37, fast: queries, count: 40, allTime: true)
    }
}
