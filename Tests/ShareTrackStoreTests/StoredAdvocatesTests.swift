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

    /// Past `limit` advocates (at once, or as batches add them) the totals are not kept.
    @Test(arguments: [0, 3, 5])
    func tooManyAdvocatesAreAnsweredBySQL(limit: Int) throws {
        try StoredSumsTests.expectExactAsBatchesAreApplied(seed: 64, [QueryFilter()], advocateLimit: limit)
    }
}
