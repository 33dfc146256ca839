import Testing

@testable import ShareTrackDaemon

/// When a timed flush has the journaled batches applied (`Flusher.applyDue(rows:)`): a light
/// backlog at once, a heavy one 5 batches at a time, and never more than `applyRows` waiting.
@Suite struct ApplyTimingTests {
    @Test func aLightBacklogIsAppliedAtOnce() {
        #expect(Flusher.applyDue(rows: [1]))
        #expect(Flusher.applyDue(rows: [2_000, 2_999]))
        #expect(!Flusher.applyDue(rows: []))
    }

    @Test func aHeavyBacklogWaitsForFiveBatches() {
        #expect(!Flusher.applyDue(rows: [25_000]))
        #expect(!Flusher.applyDue(rows: [25_000, 25_000, 25_000, 25_000]))
        #expect(Flusher.applyDue(rows: [25_000, 25_000, 25_000, 25_000, 25_000]))
        #expect(Flusher.applyDue(rows: Array(repeating: 6_000, count: 5)))
    }

    @Test func aBacklogOfApplyRowsIsAppliedWhateverItsBatches() {
        #expect(Flusher.applyDue(rows: [Flusher.applyRows]))
        #expect(Flusher.applyDue(rows: [Flusher.applyRows / 2, Flusher.applyRows / 2]))
        #expect(!Flusher.applyDue(rows: [Flusher.applyRows / 2, Flusher.applyRows / 2 - 1]))
    }
}
