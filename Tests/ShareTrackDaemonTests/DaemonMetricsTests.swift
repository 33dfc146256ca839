import Dispatch
import ShareTrackCore
import Synchronization
import Testing

@testable import ShareTrackDaemon

/// `DaemonMetrics.update`, which the once-a-second ticker and every `metrics` answer call, on
/// their own queues.
@Suite struct DaemonMetricsTests {
    @Test("updates from several threads at once never count backwards (which stops the process), and end at the last state")
    func concurrentUpdates() {
        let metrics = DaemonMetrics()
        let duplicates = Atomic<Int64>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<5_000 {
                duplicates.add(1, ordering: .relaxed)
                metrics.update {
                    var totals = IngestTotals()
                    totals.duplicates = duplicates.load(ordering: .relaxed)
                    let snapshot = Pipeline.Snapshot(batches: [], totals: totals, pendingEvents: 0, pendingKeys: 0,
                                                     applying: (0, 0), cachedTokens: 0, committedGeneration: 0)
                    return (snapshot, StatusReport.Connections())
                }
            }
        }
        let exposition = metrics.exposition()
        #expect(exposition.split(separator: "\n").contains("sharetrack_events_duplicate_total 40000"), "\(exposition.debugDescription)")
    }
}
