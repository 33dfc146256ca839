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
}
