import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// `top` at a place with a network or a tier from the place's rows of the filter's advocates
/// (`Queries.topOfPlaceRows`: by engagement, and where the rows that bound the answer do not
/// decide), against the raw rows on random data.
@Suite struct TopOfPlaceRowsTests {
    static let filters = [
        QueryFilter(venue: "v1", tier: .nano), QueryFilter(venue: "v0", network: "tiktok"),
        QueryFilter(venue: "v2", network: "instagram", tier: .micro), QueryFilter(venue: "nowhere", tier: .nano),
        QueryFilter(campaign: "c1", network: "tiktok"), QueryFilter(campaign: "c2", tier: .micro),
        QueryFilter(campaign: "c1", network: "instagram", tier: .nano), QueryFilter(campaign: "c2", tier: .nano),
    ]

    /// Offline the place's rows answer, with the advocates that have several networks or tiers
    /// looked up (with several groups each, every advocate), exactly; past `mixedLimit` of them
    /// they do not answer.
    @Test(arguments: [(61, true, 1_000), (62, false, 1_000), (63, false, 0), (66, true, 0)] as [(UInt64, Bool, Int)])
    func thePlacesRowsRankLikeTheRawRows(seed: UInt64, oneGroupPerAdvocate: Bool, mixedLimit: Int) throws {
        let database = try TemporaryDatabase()
        let batches = RollupTests.batches(seed: seed, count: 16, oneGroupPerAdvocate: oneGroupPerAdvocate)
        let queries = try database.queries(writing: batches)
        queries.advocateGroups.mixedLimit = mixedLimit
        let answered = try Self.expectRawAnswers(queries, answering: !(mixedLimit == 0 && !oneGroupPerAdvocate))
        #expect(answered > 0 || mixedLimit == 0 && !oneGroupPerAdvocate)
    }

    /// `forget --advocate` renames an advocate's groups in place, under the ids they had: the
    /// renamed advocates are still known to have several networks and tiers.
    @Test func renamedAdvocatesAreStillLookedUp() throws {
        let database = try TemporaryDatabase()
        let batches = RollupTests.batches(seed: 67, count: 16)
        let queries = try database.queries(writing: batches)
        #expect(try Self.expectRawAnswers(queries, answering: true) > 0)
        var erasure = Batch(generation: UInt64(batches.count + 1))
        for advocate in 0..<7 { erasure.add(SealedErasure(.advocate(id: "a\(advocate)", pseudonym: "forgotten-\(advocate)"), key: testKey)) }
        try Store(path: database.path, visitorKey: testKey).apply(erasure)
        #expect(try Self.expectRawAnswers(queries, answering: true) > 0)
    }

    /// Counted ahead (the daemon's start: `countAdvocateGroups`), every group row is counted, and
    /// an answer after it counts none again.
    @Test func advocateGroupsCountedAheadOfTheFirstAnswer() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: 68, count: 8))
        #expect(queries.advocateGroups.checkedThrough == 0)
        try queries.countAdvocateGroups()
        let newest = try Database(path: database.path, mode: .readOnly)
            .prepare("SELECT max(id) FROM advocate_groups").rows { $0.int64(0) }.first
        #expect(newest ?? 0 > 0)
        #expect(queries.advocateGroups.checkedThrough == newest)
    }

    /// Offline, for every filter and limit up to 8: whether the place's rows answered (as
    /// `answering` says), and that they answered as the raw rows; how many answers were not empty.
    private static func expectRawAnswers(_ queries: Queries, answering: Bool) throws -> Int {
        let rollups = Source.rollups(storedHours: nil)
        var answered = 0
        for ranking in Ranking.allCases { for limit in 1...8 { for filter in filters {
            let expected = try queries.snapshot(nil) { try queries.top(ranking, limit: limit, filter, .raw) }
            let answer = try queries.snapshot(nil) {
                try queries.topOfPlaceRows(limit: limit, filter, ranking: ranking, rollups)
            }
            #expect((answer != nil) == answering, "\(ranking) \(filter) \(limit)")
            guard let answer else { continue }
            answered += answer.isEmpty ? 0 : 1
            #expect(answer == expected, "\(ranking) \(filter) \(limit)")
        } } }
        return answered
    }

    /// Live, the live advocates are looked up too: every answer the raw rows', as batches arrive
    /// and are applied one by one; by every ranking, with no rows read past `--limit` for the
    /// bounds (`topDepth` 0), so that they often do not decide. `oddNames`: every advocate's id
    /// has characters that the list of live advocates (a JSON array) escapes.
    @Test(arguments: [(64, true, false), (65, false, false), (69, false, true)] as [(UInt64, Bool, Bool)])
    func liveAdvocatesRankLikeTheRawRows(seed: UInt64, oneGroupPerAdvocate: Bool, oddNames: Bool) throws {
        var batches = RollupTests.batches(seed: seed, count: 16, oneGroupPerAdvocate: oneGroupPerAdvocate)
        if oddNames { batches = batches.map(Self.withOddNames) }
        let database = try TemporaryDatabase()
        let fast = try database.queries(writing: Array(batches.prefix(3)))
        fast.topDepth = 0
        let raw = try Queries(path: database.path, readsRollups: false)
        let store = try Store(path: database.path, visitorKey: testKey)
        for applied in 3..<batches.count {
            let live = LiveData(batches: Array(batches[applied..<min(applied + 3, batches.count)]))
            for ranking in Ranking.allCases { for limit in [1, 3, 8] { for filter in Self.filters {
                let request = ControlRequest(command: .top, query: Query(by: ranking.rawValue, limit: limit, filter: filter))
                #expect(RollupTests.answer(fast, request, live) == RollupTests.answer(raw, request, live),
                        "\(ranking) \(filter) \(limit)")
            } } }
            try store.apply(batches[applied])
        }
    }

    /// `batch` with `#" "quoted" \ é"#` after each advocate's id.
    private static func withOddNames(_ batch: Batch) -> Batch {
        var renamed = Batch(generation: batch.generation)
        for var share in batch.shares {
            share.attributes.advocate += #" "quoted" \ é"#
            renamed.add(share)
        }
        for (key, counters) in batch.counters { renamed.add(counters, at: key) }
        renamed.events = batch.events
        return renamed
    }
}
