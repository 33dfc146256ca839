import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// `top` over a range of more than `QueryText.boundedRangeHours` stored hours, ranked from the
/// first rows of the all-time rollup that bounds each advocate's total over it
/// (`QueryText.allTime(of:)`), each advocate read having its hours in the range looked up, against
/// the raw rows: random data over 120 hours, rows read at depths that leave most advocates unread.
@Suite struct RangeTopTests {
    static let hours = RangedFilters.hours
    static let hour0 = RollupTests.hour0
    static let filters = RangedFilters.all(from: hour0)

    @Test func aRangeOfDaysIsBoundedByItsFilterOverAllTime() {
        let source = Source.rollups(storedHours: Self.hour0...(Self.hour0 + Self.hours - 1))
        let days = QueryFilter(campaign: "c1", since: (Self.hour0 + 60) * 3600)
        #expect(Queries.text.bounds(of: days, limit: 20, over: source) == [QueryText.Bounds(QueryFilter(campaign: "c1"), summed: false)])
        // A range's bounds are those of its filter over all time.
        let tier = QueryFilter(campaign: "c1", tier: .nano, until: (Self.hour0 + 70) * 3600)
        #expect(Queries.text.boundingRows(tier) == Queries.text.boundingRows(QueryFilter(campaign: "c1", tier: .nano)))
        // The shared store reads a place's hours by its index rather than its looser rows.
        #expect(QueryText(.postgres).boundingRows(tier).isEmpty)
        #expect(QueryText(.postgres).boundingRows(days) == [QueryText.Bounds(QueryFilter(campaign: "c1"), summed: false)])
        #expect(Queries.text.boundingRows(QueryFilter(network: "x", since: 0))
                == [QueryText.Bounds(QueryFilter(network: "x"), summed: false), QueryText.Bounds(QueryFilter(network: "x"), summed: true)])
        // Not over a day, nor for an advocate, nor from the raw rows.
        #expect(Queries.text.bounds(of: QueryFilter(since: (Self.hour0 + 100) * 3600), limit: 20, over: source).isEmpty)
        #expect(Queries.text.boundingRows(QueryFilter(advocate: "a1", since: 0)).isEmpty)
        #expect(Queries.text.bounds(of: days, limit: 20, over: .raw).isEmpty)
        #expect(QueryText.totalsRollup(days) == Rollup.hourGroups.readJoined)
        #expect(QueryText.totalsRollup(QueryFilter(campaign: "c1")) == Rollup.campaignAdvocates)
    }

    /// Each bounding rollup's first rows, with the advocates read looked up over the range, give
    /// the raw rows' answer wherever they decide, which they do at every depth for some answers.
    @Test(arguments: [61, 62] as [UInt64])
    func theAllTimeRowsRankARangeLikeTheRawRows(seed: UInt64) throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: seed, count: 24, hours: Self.hours))
        let source = Source.rollups(storedHours: Self.hour0...(Self.hour0 + Self.hours - 1))
        var answered: [Int: Int] = [:]  // by depth
        for depth in [0, 1, 3, 8] {
            queries.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for filter in Self.filters {
                guard let key = ranking.additiveKey else { continue }
                let expected = try queries.snapshot(nil) { try queries.top(ranking, limit: limit, filter, .raw) }
                for bounds in Queries.text.bounds(of: filter, limit: limit, over: source) {
                    let most = bounds.summed || QueryText.readsOneRowPerAdvocate(bounds.filter)
                        ? 1 : try queries.snapshot(nil) { try queries.advocateGroups.most() }
                    let merged = try queries.snapshot(nil) {
                        try queries.topMerged(limit: limit, filter, bounds: bounds, ranking: ranking, key: key, most: most)
                    }
                    guard let merged else { continue }
                    answered[depth, default: 0] += 1
                    #expect(merged == expected, "\(ranking) \(limit) \(filter) \(bounds) depth \(depth)")
                }
            } } }
        }
        #expect(answered.keys.sorted() == [0, 1, 3, 8], "\(answered)")
    }

    /// Through the query commands, with batches the tables do not hold yet (the live advocates,
    /// some of them past the rows read) and the range's groups not summed in memory: every
    /// answer is the raw rows'.
    @Test(arguments: [63, 64] as [UInt64])
    func rangedAnswersWithLiveBatchesAreTheRawRows(seed: UInt64) throws {
        let batches = RollupTests.batches(seed: seed, count: 24, hours: Self.hours)
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: Array(batches.prefix(20)), applying: 18)
        let fast = try Queries(path: database.path, readsRollups: true)
        fast.live.storedSums.groupLimit = 0
        let raw = try Queries(path: database.path, readsRollups: false)
        let live = LiveData(batches: Array(batches[18...]))
        for depth in [0, 2] {
            fast.topDepth = depth
            for ranking in Ranking.allCases { for limit in [1, 3] { for filter in Self.filters {
                let request = ControlRequest(command: .top, query: Query(by: ranking.rawValue, limit: limit, filter: filter))
                #expect(RollupTests.answer(fast, request, live) == RollupTests.answer(raw, request, live), "\(request)")
            } } }
        }
    }
}
