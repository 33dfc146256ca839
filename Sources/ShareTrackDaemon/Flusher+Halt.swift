import Dispatch
import Logging
import ShareTrackCore

/// When the database's files are removed or replaced under the daemon (`DatabaseFiles`).
extension Flusher {
    /// Stops flushing for good: nothing more is written or acknowledged (the files the daemon has
    /// open are no longer the database's; with `databaseIntact`, only the journal's are not).
    /// Returns the failed flush's report.
    func halt(_ reason: String, databaseIntact: Bool) -> FlushReport {
        dispatchPrecondition(condition: .onQueue(queue))
        let message = "the database cannot be trusted any more: \(reason); nothing more is acknowledged"
        state.withLock { state in
            state.halted = message
            state.timer?.cancel()
        }
        logger.critical("\(message); stopping")
        if databaseIntact { journalAnew() }
        onHalt(message)
        return haltedReport(message)
    }

    /// With only the journal's files removed or replaced, the batches acknowledged but not applied
    /// yet would go with them: they are written to a journal made anew, which the next start
    /// applies. (A batch the apply queue commits meanwhile is in both; the start skips it then.)
    private func journalAnew() {
        let held = pipeline.journaled
        let metadata: Logger.Metadata = ["batches": "\(held.count)", "events": "\(held.reduce(0) { $0 + $1.events })"]
        do {
            try journal.withLock { journal in journal = try journal.recreated(holding: held) }
            logger.notice("the batches acknowledged but not applied yet are in a journal made anew; the next start applies them",
                          metadata: metadata)
        } catch {
            logger.critical("the batches acknowledged but not applied yet could not be journaled again: \(error)",
                            metadata: metadata)
        }
    }

    func haltedReport(_ message: String) -> FlushReport {
        let report = FlushReport(time: Self.wallClock(), durationSeconds: 0, generation: pipeline.appliedGeneration,
                                 events: 0, rows: 0, error: message)
        state.withLock { $0.last = report }
        return report
    }
}
