import Dispatch
import ShareTrackCore

/// When the database's files are removed or replaced under the daemon (`DatabaseFiles`).
extension Flusher {
    /// Stops flushing for good: nothing more is written or acknowledged (the files the daemon has
    /// open are no longer the database's). Returns the failed flush's report.
    func halt(_ reason: String) -> FlushReport {
        dispatchPrecondition(condition: .onQueue(queue))
        let message = "the database cannot be trusted any more: \(reason); nothing more is acknowledged"
        state.withLock { state in
            state.halted = message
            state.timer?.cancel()
        }
        logger.critical("\(message); stopping")
        onHalt(message)
        return haltedReport(message)
    }

    func haltedReport(_ message: String) -> FlushReport {
        let report = FlushReport(time: Self.wallClock(), durationSeconds: 0, generation: pipeline.appliedGeneration,
                                 events: 0, rows: 0, error: message)
        state.withLock { $0.last = report }
        return report
    }
}
