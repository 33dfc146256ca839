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
    /// A pair comes of age when the whole hour of the click that stored it is older than the
    /// retention (`RetentionReport.firstKeptHour`); a run finds it within `retentionPeriod`.
    func scheduleRetention(seconds: Double) {
        state.withLock { state in
            state.retention.seconds = seconds
            state.retentionTimer?.cancel()
            state.retentionTimer = nil
            guard seconds > 0 else { return }
            let timer = DispatchSource.makeTimerSource(queue: applyQueue)
            timer.schedule(deadline: .now(), repeating: Self.retentionPeriod, leeway: .seconds(1))
            timer.setEventHandler { [weak self] in self?.expireVisitors(removedSoFar: 0) }
            timer.resume()
            state.retentionTimer = timer
        }
    }

    /// One chunk of the current run; the next chunk is queued behind whatever else waits on the
    /// apply queue, so a run never holds it for longer than one chunk.
    private func expireVisitors(removedSoFar: Int64) {
        dispatchPrecondition(condition: .onQueue(applyQueue))
        let seconds = state.withLock { $0.retention.seconds }
        guard seconds > 0 else { return }
        let now = Flusher.wallClock()
        let cutoffHour = RetentionReport.firstKeptHour(now: now, retention: seconds)
        let removed: [(token: String, visitor: UInt64)]
        do {
            removed = try store.withLock { try $0.deleteVisitors(before: cutoffHour, limit: Self.retentionChunk) }
        } catch {
            logger.error("visitor retention failed; retrying at the next run", metadata: ["error": "\(error)"])
            return
        }
        pipeline.forgetVisitors(removed)
        let total = removedSoFar + Int64(removed.count)
        // A full chunk of rows (or of pairs apart) gives that many pairs at least: fewer, none are left.
        if removed.count >= Self.retentionChunk {
            applyQueue.async { self.expireVisitors(removedSoFar: total) }
            return
        }
        if total > 0 {
            store.withLock { $0.database.checkpoint() }
            logger.info("visitor retention removed expired visitor pairs", metadata: ["pairs": "\(total)"])
        }
        state.withLock { state in
            state.retention.lastRun = RFC3339.format(Int64(now))
            state.retention.removedLastRun = total
            state.retention.removedTotal += total
        }
    }

    var retentionReport: RetentionReport {
        state.withLock { $0.retention }
    }
}
