import Dispatch
import ShareTrackCore
import ShareTrackStore

extension Flusher {
    /// How often retention looks for visitor pairs that came of age.
    static let retentionPeriod = 30.0
    /// Counter rows whose visitor pairs one transaction deletes (and pairs kept apart): short enough
    /// that an apply waiting behind it (and so the memory it frees) is not held up noticeably.
    static let retentionChunk = 2000

    /// Deletes stored visitor pairs older than `seconds` (0: never) every `retentionPeriod`, on the
    /// apply queue; replaces an earlier schedule.
    ///
    /// A pair comes of age when the click that stored it is older than the retention
    /// (`RetentionReport.cutoff`); a run finds it within `retentionPeriod`.
    func scheduleRetention(seconds: Double) {
        state.withLock { state in
            state.retention.seconds = seconds
            state.retentionTimer?.cancel()
            state.retentionTimer = nil
            guard seconds > 0 else { return }
            let timer = DispatchSource.makeTimerSource(queue: applyQueue)
            timer.schedule(deadline: .now(), repeating: Self.retentionPeriod, leeway: .seconds(1))
            timer.setEventHandler { [weak self] in self?.startRetentionRun() }
            timer.resume()
            state.retentionTimer = timer
        }
    }

    /// Starts a run. A pair that came of age while a batch the tables do not hold yet has it (the
    /// pending one, with a long `flush_interval` or a click older than the retention when it came;
    /// or a journaled one, whose apply may wait for a few more flushes) is flushed and applied first,
    /// so that the run finds it in the tables: else the token's state would keep the visitor, whose
    /// next click would not count as unique again, until those flushes.
    private func startRetentionRun() {
        let seconds = state.withLock { $0.retention.seconds }
        guard seconds > 0 else { return }
        let cutoff = RetentionReport.cutoff(now: Flusher.wallClock(), retention: seconds)
        guard pipeline.unappliedHoldVisitors(before: cutoff) else { return expireVisitors(removedSoFar: 0, cutoff: cutoff) }
        flush { [weak self] _ in self?.expireVisitors(removedSoFar: 0, cutoff: cutoff) }
    }

    /// One chunk of the current run; the next chunk is queued behind whatever else waits on the
    /// apply queue, so a run never holds it for longer than one chunk. A run deletes the pairs
    /// whose click came before its `cutoff`: first those of earlier hours and those kept apart,
    /// then, from `boundaryAfter` (a token: the rows of the cutoff's own hour, in token order),
    /// those of the cutoff's hour.
    private func expireVisitors(removedSoFar: Int64, cutoff: Int64, boundaryAfter: String? = nil) {
        dispatchPrecondition(condition: .onQueue(applyQueue))
        guard state.withLock({ $0.retention.seconds }) > 0 else { return }
        let now = Flusher.wallClock()
        let removed: [(token: String, visitor: UInt64)]
        let next: String?
        do {
            if let token = boundaryAfter {
                (removed, next) = try store.withLock {
                    try $0.deleteVisitors(before: cutoff, inItsHourAfter: token, limit: Self.retentionChunk)
                }
            } else {
                removed = try store.withLock { try $0.deleteVisitors(before: cutoff, limit: Self.retentionChunk) }
                // A full chunk of rows (or of pairs apart) gives that many pairs at least: fewer, none are left.
                next = removed.count >= Self.retentionChunk ? nil : ""
            }
        } catch {
            logger.error("visitor retention failed; retrying at the next run", metadata: ["error": "\(error)"])
            return
        }
        pipeline.forgetVisitors(removed)
        let total = removedSoFar + Int64(removed.count)
        if boundaryAfter == nil || next != nil {
            applyQueue.async { self.expireVisitors(removedSoFar: total, cutoff: cutoff, boundaryAfter: next) }
            return
        }
        if total > 0 {
            store.withLock { $0.database.checkpoint() }
            logger.info("visitor retention removed expired visitor pairs", metadata: ["pairs": "\(total)"])
        }
        expireJournaledVisitors(before: cutoff)
        state.withLock { state in
            state.retention.lastRun = RFC3339.format(Int64(now))
            state.retention.removedLastRun = total
            state.retention.removedTotal += total
        }
    }

    /// With a shared store that does not have every applied batch yet, leaves the pairs of
    /// clicks before `cutoff` out of those batches in the journal too (`Journal.expireVisitors`).
    private func expireJournaledVisitors(before cutoff: Int64) {
        let (shipped, applied) = (shippedGeneration(), pipeline.appliedGeneration)
        guard shipped < applied else { return }
        do {
            try journal.withLock { try $0.expireVisitors(before: cutoff, after: shipped, through: applied) }
        } catch {
            logger.error("visitor retention in the journal's unshipped batches failed; retrying at the next run",
                         metadata: ["error": "\(error)"])
        }
    }

    var retentionReport: RetentionReport {
        state.withLock { $0.retention }
    }
}
