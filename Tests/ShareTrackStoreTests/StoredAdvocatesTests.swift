import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `top` without a filter ranks every advocate's totals kept in memory (`StoredAdvocates`) plus the
/// live groups, the totals advanced by each batch applied: exact as batches are applied, with live
/// batches and without, and left to SQL when there are too many advocates to keep.
@Suite struct StoredAdvocatesTests {
    @Test(arguments: [61, 62, 63] as [UInt64])
    func everyAdvocateFollowsEveryAppliedBatch(seed: UInt64) throws {
        try StoredSumsTests.expectExactAsBatchesAreApplied(seed: seed, [QueryFilter()])
    }

    /// `keepUp` (after each flush, in the daemon) keeps the totals following batches that no answer
    /// saw live: without it they are forgotten at the next load, to be read again.
    @Test(arguments: [true, false])
    func keepingUpFollowsBatchesAppliedUnasked(keepingUp: Bool) throws {
        let batches = RollupTests.batches(seed: 65, count: 12)
        let setup = try RollupTests.ThreeApplied(batches)
        let top = ControlRequest(command: .top, query: Query(limit: 10))
        _ = RollupTests.answer(setup.fast, top, LiveData(batches: Array(batches[3..<5])))
        #expect(!setup.fast.live.storedAdvocates.isEmpty)
        for applied in 3..<9 {
            if keepingUp { setup.fast.keepUp(live: LiveData(batches: Array(batches[applied..<applied + 3]))) }
            try setup.store.apply(batches[applied])
        }
        let live = LiveData(batches: Array(batches[9..<12]))
        setup.fast.keepUp(live: live)
        #expect(setup.fast.live.storedAdvocates.isEmpty == !keepingUp)
        #expect(RollupTests.answer(setup.fast, top, live) == RollupTests.answer(setup.raw, top, live))
    }

    /// Past `limit` advocates (at once, or as batches add them) the totals are not kept.
    @Test(arguments: [0, 3, 5])
    func tooManyAdvocatesAreAnsweredBySQL(limit: Int) throws {
        try StoredSumsTests.expectExactAsBatchesAreApplied(seed: 64, [QueryFilter()], advocateLimit: limit)
    }
}
