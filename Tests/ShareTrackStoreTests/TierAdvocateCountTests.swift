import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `tiers` over all time, whose advocate counts `TierAdvocateCounts` keeps from one answer to the
/// next for some filters, against the raw rows as batches are applied one by one.
@Suite struct TierAdvocateCountTests {
    /// Every filter whose counts are kept (none, network, venue), others, each with every tier.
    static let requests: [ControlRequest] = {
        let filters = [QueryFilter(), QueryFilter(network: "tiktok"), QueryFilter(venue: "v1"),
                       QueryFilter(campaign: "c1"), QueryFilter(venue: "v1", network: "tiktok")]
        return filters.flatMap { filter in
            ([nil] + Tier.allCases).map { tier in
                var filter = filter
                filter.tier = tier
                return ControlRequest(command: .tiers, query: Query(filter: filter))
            }
        }
    }()

    /// The steps of SQLite's plan for `sql` over a database of four random batches.
    static func plan(_ sql: String, _ values: [SQLValue], seed: UInt64) throws -> [String] {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: RollupTests.batches(seed: seed, count: 4))
        let plan = try queries.database.prepare("EXPLAIN QUERY PLAN " + sql)
        try plan.bind(values.map(\.statementValue))
        return try plan.rows { $0.string(3) ?? "" }
    }

    /// A venue's or a campaign's advocates, or a venue's in a campaign, are counted per tier from
    /// an index that holds them in (tier, advocate) order, none sorted.
    @Test(arguments: [
        (QueryFilter(venue: "v1"), "COVERING INDEX share_groups_by_venue_tier_campaign"),
        (QueryFilter(campaign: "c1"), "COVERING INDEX share_groups_by_campaign_tier"),
        (QueryFilter(venue: "v1", campaign: "c1"), "COVERING INDEX share_groups_by_venue_tier_campaign"),
        (QueryFilter(campaign: "c1", network: "tiktok"), "COVERING INDEX share_groups_by_campaign_tier"),
    ])
    func aPartitionsAdvocatesAreCountedFromItsIndex(filter: QueryFilter, index: String) throws {
        let (sql, values) = Queries.text.storedAdvocatesPerTier(filter)
        let steps = try Self.plan(sql, values, seed: 64)
        #expect(steps.contains { $0.contains(index + " (") }, "\(steps)")
        #expect(!steps.contains { $0.contains("FOR DISTINCT") }, "\(steps)")
    }

    /// `top` at one venue in one campaign, or at a place on one network (no rollup per advocate
    /// for them), finds the share groups in the index by venue or by campaign, which hold the
    /// campaign and the network: no row of the table read for the place's other groups.
    @Test(arguments: [
        (QueryFilter(venue: "v1", campaign: "c1"), "share_groups_by_venue_tier_campaign (venue=?)"),
        (QueryFilter(venue: "v1", network: "tiktok"), "share_groups_by_venue_tier_campaign (venue=?)"),
        (QueryFilter(venue: "v1", campaign: "c1", network: "tiktok"), "share_groups_by_venue_tier_campaign (venue=?)"),
        (QueryFilter(campaign: "c1", network: "tiktok"), "share_groups_by_campaign_tier (campaign=?)"),
    ])
    func aPlacesGroupsAreReadFromTheirIndex(filter: QueryFilter, index: String) throws {
        let (sql, values) = Queries.text.rollup(.shareGroups, filter, columns: ["advocate"])
        let steps = try Self.plan("SELECT * FROM " + sql, values, seed: 65)
        #expect(steps.contains { $0.contains("COVERING INDEX " + index) }, "\(steps)")
    }

    /// An advocate's share groups under a filter are found by the key, which begins with the
    /// advocate (a handful of groups), not by the index of the filter's campaign, which holds every
    /// other column the statement reads too (`top`'s look-ups of an advocate's total, an advocate's
    /// report).
    @Test(arguments: [QueryFilter(campaign: "c1", network: "tiktok"), QueryFilter(venue: "v1", campaign: "c1", network: "tiktok"),
                      QueryFilter(campaign: "c1", network: "tiktok", tier: .micro)])
    func anAdvocatesGroupsAreFoundByTheKey(filter: QueryFilter) throws {
        let (sql, values) = Queries.text.advocateRow(filter)
        let steps = try Self.plan(sql, values("a1"), seed: 66)
        #expect(steps.contains { $0.contains("COVERING INDEX share_groups_by_key (advocate=?)") }, "\(steps)")
        var named = filter
        named.advocate = "a1"
        let (report, reportValues) = Queries.text.rollup(.shareGroups, named, columns: ["network"])
        let reportSteps = try Self.plan("SELECT * FROM " + report, reportValues, seed: 66)
        #expect(reportSteps.contains { $0.contains("COVERING INDEX share_groups_by_key (advocate=?)") }, "\(reportSteps)")
    }

    @Test(arguments: [61, 62, 63] as [UInt64])
    func keptCountsStayExactAsBatchesAreApplied(seed: UInt64) throws {
        let batches = RollupTests.batches(seed: seed, count: 12)
        let database = try RollupTests.ThreeApplied(batches)
        var answersSeen = Set<String>()
        for applied in 3..<batches.count {
            let live = LiveData(batches: Array(batches[applied..<min(batches.count, applied + 2)]))
            for request in Self.requests {
                let expected = RollupTests.answer(database.raw, request, live)
                #expect(RollupTests.answer(database.fast, request, live) == expected, "\(request)")
                answersSeen.insert(expected)
            }
            try database.store.apply(batches[applied])
        }
        #expect(answersSeen.count > Self.requests.count, "the answers change as batches are applied")
    }

    /// `keepUp` (after each flush, in the daemon) brings the kept counts to the group rows each
    /// batch applied adds, so that the next answer has none to look up, and looks up the pairs of
    /// the final live batches' new groups; the answers, live batches and all, stay exact.
    @Test func keepingUpCountsTheRowsAddedAsBatchesAreApplied() throws {
        let batches = RollupTests.batches(seed: 64, count: 12)
        let setup = try RollupTests.ThreeApplied(batches)
        let requests = [QueryFilter(), QueryFilter(venue: "v1")].map { ControlRequest(command: .tiers, query: Query(filter: $0)) }
        for request in requests { _ = RollupTests.answer(setup.fast, request, LiveData(batches: [])) }
        let database = try Database(path: setup.database.path, mode: .readOnly)
        for applied in 3..<batches.count {
            let live = LiveData(batches: Array(batches[applied..<min(batches.count, applied + 3)]))
            setup.fast.keepUp(live: live)
            #expect(!setup.fast.live.newGroups.isEmpty || live.batches.count < 2, "after \(applied)")
            for request in requests {
                #expect(RollupTests.answer(setup.fast, request, live) == RollupTests.answer(setup.raw, request, live), "after \(applied)")
            }
            try setup.store.apply(batches[applied])
            setup.fast.keepUp(live: LiveData(batches: []))
            for counts in setup.fast.tierAdvocates where counts.isCounting {
                let newest = try database.prepare("SELECT max(id) FROM \(counts.table.table)").rows { $0.int64(0) }.first
                #expect(counts.counted.values.allSatisfy { $0.through == newest }, "\(counts.table.table) after \(applied + 1)")
            }
        }
    }
}
