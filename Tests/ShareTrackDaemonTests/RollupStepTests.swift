import Testing

@testable import ShareTrackDaemon

/// The rows of the next step summing a rollup from the others (`Flusher.nextRollupStepRows`):
/// paced to take `rollupStepSeconds`, at most twice the last step's, never fewer than 1,000.
@Suite struct RollupStepTests {
    let target = Flusher.rollupStepSeconds

    @Test func aSlowStepIsFollowedByASmallerOne() {
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: 2 * target) == 25_000)
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: 5 * target) == 10_000)
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: target) == 50_000)
    }

    @Test func aFastStepAtMostDoublesTheNext() {
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: target * 0.625) == 80_000)
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: target / 10) == 100_000)
        #expect(Flusher.nextRollupStepRows(after: 50_000, took: 0) == 100_000)
    }

    @Test func aStepTakesAThousandRowsAtLeast() {
        #expect(Flusher.nextRollupStepRows(after: 1_000, took: 60) == 1_000)
        #expect(Flusher.nextRollupStepRows(after: 4_000, took: 100 * target) == 1_000)
    }
}
