import Dispatch
import Glibc
import Logging
import ShareTrackCore
import ShareTrackStore
import Synchronization

/// Writes the pipeline's batches to SQLite: on a timer, on demand, and on shutdown. Ingest keeps
/// filling the next batch meanwhile.
///
/// A flush makes the pending batch durable in the `Journal` (a short transaction on `queue`) and
/// releases its answers; the batch is then applied to the database's tables (`Store.apply`) on a
/// queue of its own, which takes longer but delays neither an answer nor the next flush.
///
/// Erasures (`forget`, in `Flusher+Forget.swift`) and `visitor_retention` (`Flusher+Retention.swift`)
/// run on the same two queues.
final class Flusher: Sendable {
    struct State {
        var timer: (any DispatchSourceTimer)?
        /// Monotonic time the last flush began (on the timer or not): the next one is due an
        /// interval after it.
        var lastStarted: ContinuousClock.Instant
        var last: FlushReport?
        /// Monotonic time of the last flush that committed or found nothing to write.
        var lastHealthy: ContinuousClock.Instant
        /// Seconds between timed flushes (`schedule(every:)`).
        var interval = 0.0
        /// Why applying the journaled batches fails, and since when; nil while it works.
        var applyFailure: (error: String, since: ContinuousClock.Instant)?
        /// The rows the erasure of a generation changed (visitor pairs removed, shares renamed),
        /// until its `forget` reads them.
        var erasedRows: [UInt64: Int] = [:]
        /// Erasures whose `forget` returned before the tables held them (the flush or the apply
        /// failing), with their generations: finished once the tables do (`finishErasures()`).
        var unfinishedErasures: [(erasure: Erasure, generation: UInt64)] = []
        /// After a failed finish of those: how many failed in a row, and when the next try is due
        /// (nil once it is: `finishErasures()` tries after every apply then).
        var erasureRetry: (failures: Int, due: ContinuousClock.Instant?)?
        var retention = RetentionReport()
        var retentionTimer: (any DispatchSourceTimer)?
        /// After the journal's rebuild failed (`compactJournal`): when it is tried again.
        var journalRebuildDue: ContinuousClock.Instant?
        /// Why the flusher stopped for good (the database's files were removed or replaced).
        var halted: String?
        /// The tables of the store's rollups still being built for the shares it had before they
        /// existed (`Store.rollupsBuilding`).
        var rollupsBuilding: [String]
        /// Rows of the next step summing a rollup from the others (`Flusher.nextRollupStepRows`).
        var rollupStepRows = Store.rollupBuildRows
    }

    let queue = DispatchQueue(label: "sharetrack.flush")
    /// Where the journaled batches are applied to the tables, and whatever else writes them runs
    /// (a backup, `forget`'s scrub, visitor retention, the rollup builds): at background QoS,
    /// which libdispatch on Linux runs on threads of its own at nice +10 (the daemon's other
    /// queues at 0). Where the two cores are short, ingest and the queries have the CPU first,
    /// about nine times the apply's share (the scheduler's weights 1,024 and 110), and the apply,
    /// which may lag the journal by design (`applyBatches`), takes what they leave: with ingest at
    /// 20,000 events/s and queries asked back to back at 2M shares, answers over 100 ms were 29 in
    /// ten query-bench runs at the daemon's priority and 7 at +10 (docs/benchmarks.md, session 65).
    let applyQueue = DispatchQueue(label: "sharetrack.apply", qos: .background)
    let journal: Mutex<Journal>
    let store: Mutex<Store>
    let pipeline: Pipeline
    private let onCommit: @Sendable (UInt64) -> Void
    private let onReport: @Sendable (FlushReport) -> Void
    let onHalt: @Sendable (String) -> Void
    private let files: DatabaseFiles
    let shippedGeneration: @Sendable () -> UInt64
    let logger: Logger
    let state: Mutex<State>

    /// - Parameters:
    ///   - files: the database's files as opened, checked before every flush.
    ///   - onReport: told of every flush that wrote (or failed to write) a batch.
    ///   - onHalt: told once, why the flusher stopped for good (a file was removed or replaced).
    ///   - shippedGeneration: the last generation the shared store holds (`.max` without one): the
    ///     journal keeps every batch after it, and after the last one applied to the tables.
    ///   - onCommit: told the generation of every batch that committed (is durable).
    init(store: consuming sending Store, journal: consuming sending Journal, files: DatabaseFiles, pipeline: Pipeline,
         logger: Logger, shippedGeneration: @escaping @Sendable () -> UInt64,
         onReport: @escaping @Sendable (FlushReport) -> Void,
         onHalt: @escaping @Sendable (String) -> Void, onCommit: @escaping @Sendable (UInt64) -> Void) {
        self.files = files
        self.onHalt = onHalt
        self.shippedGeneration = shippedGeneration
        self.journal = Mutex(journal)
        self.pipeline = pipeline
        self.logger = logger
        self.onCommit = onCommit
        self.onReport = onReport
        let building = store.rollupsBuilding
        self.store = Mutex(store)
        self.state = Mutex(State(lastStarted: .now, lastHealthy: .now, rollupsBuilding: building))
    }

    /// Flushes every `interval` seconds (replacing an earlier schedule), the first time one interval
    /// after the last flush began, or at once if that is past: a new schedule (a reload) never
    /// postpones a flush that is due.
    func schedule(every interval: Double) {
        state.withLock { state in
            state.interval = interval
            state.timer?.cancel()
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let sinceLast = (ContinuousClock.now - state.lastStarted).seconds
            timer.schedule(deadline: .now() + max(0, interval - sinceLast), repeating: interval,
                           leeway: .milliseconds(5))
            timer.setEventHandler { [weak self] in _ = self?.flushOnQueue() }
            timer.resume()
            state.timer = timer
        }
    }

    /// Stops the timed flushes and retention runs (at shutdown: the drain writes what is left).
    func cancelSchedule() {
        state.withLock { [$0.timer, $0.retentionTimer] }.forEach { $0?.cancel() }
    }

    /// Flushes now and applies what is journaled, then calls `completion` with what was written
    /// (nil: nothing to write). The flush queue does not wait for the apply, which a backup or a
    /// `forget` may hold for seconds: the timed flushes, and the answers that wait for them, go on.
    func flush(completion: @escaping @Sendable (FlushReport?) -> Void) {
        queue.async {
            let wrote = self.flushOnQueue() != nil
            self.applyQueue.async {
                self.applyJournaled()
                completion(wrote ? self.lastReport : nil)
            }
        }
    }

    /// Flushes and applies until the tables hold everything in memory, retrying failures up to
    /// `attempts` times.
    func drain(attempts: Int) -> FlushReport? {
        queue.sync {
            for _ in 0..<attempts where pipeline.hasUnapplied {
                _ = flushOnQueue()
                applyQueue.sync { applyJournaled() }
                if lastReport?.error != nil { usleep(100_000) }
            }
            // Leaves the journal empty when the tables (and any shared store) hold everything (a
            // later start on a new database may then take it over).
            forgetDoneBatches()
            // Empty write-ahead logs: a database file restored from a backup after a clean stop is
            // then not refused for a log written for the file it replaced (`DatabaseFiles`).
            if !pipeline.hasUnapplied {
                try? store.withLock { try $0.truncateLog() }
                try? journal.withLock { try $0.database.truncateLog() }
            }
            return lastReport
        }
    }

    /// The generation through which the journal's batches are done with: applied, and shipped.
    private var doneGeneration: UInt64 {
        min(pipeline.appliedGeneration, shippedGeneration())
    }

    /// Deletes the journal's batches that are done with, as the next append would.
    private func forgetDoneBatches() {
        let done = doneGeneration
        try? journal.withLock { try $0.forget(through: done) }
    }

    /// The last flush, with the error of applying batches if that fails now.
    var lastReport: FlushReport? {
        state.withLock { state in
            guard var report = state.last, let failure = state.applyFailure else { return state.last }
            report.error = report.error ?? failure.error
            return report
        }
    }

    /// How long the flush path has been failing: since a flush was due (an interval after the last
    /// one that committed or found nothing to write) and none has, or since applying began to
    /// fail; zero while it works. The time between two flushes is not a failure, however long the
    /// interval is beside the watchdog's (`WatchdogSec=`).
    var sinceHealthy: Duration {
        state.withLock { state in
            let now = ContinuousClock.now
            let flushOverdue = now - (state.lastHealthy + .seconds(state.interval))
            return max(.zero, flushOverdue, state.applyFailure.map { now - $0.since } ?? .zero)
        }
    }

    /// Makes the pending batch durable and releases its answers, then has the journaled batches
    /// applied. `nil`: nothing to write.
    func flushOnQueue() -> FlushReport? {
        dispatchPrecondition(condition: .onQueue(queue))
        if let halted = state.withLock({ $0.halted }) { return haltedReport(halted) }
        if let change = files.change() { return halt(change, databaseIntact: files.databaseIntact) }
        // Applied when due, or at once when ingest has gone quiet (nothing to flush).
        var applyTiming = ApplyTiming.due
        defer {
            if pipeline.nextToApply != nil || !rollupsBuilding.isEmpty {
                let timing = applyTiming
                applyQueue.async { self.applyJournaled(timing) }
            }
        }
        state.withLock { $0.lastStarted = .now }
        guard let batch = pipeline.beginFlush() else {
            applyTiming = .now
            state.withLock { $0.lastHealthy = .now }
            // Quiet: the batches shipped and applied since the last append are deleted now rather
            // than by the next one, so that a daemon with nothing to flush gives a backlog's room back too.
            forgetDoneBatches()
            compactJournal()
            return nil
        }
        let start = ContinuousClock.now
        var failure: String?
        do {
            let done = doneGeneration
            try journal.withLock { try $0.append(batch, forgettingThrough: done) }
            pipeline.finishFlush(batch.generation)
            onCommit(batch.generation)
        } catch {
            failure = String(describing: error)
            logger.error("flush failed; keeping the batch in memory to retry",
                         metadata: ["generation": "\(batch.generation)", "error": "\(error)"])
        }
        let duration = (ContinuousClock.now - start).seconds
        if failure == nil {
            logger.debug("flushed", metadata: ["generation": "\(batch.generation)", "rows": "\(batch.rowCount)",
                                               "ms": "\(Int(duration * 1000))"])
        }
        let report = FlushReport(
            time: Self.wallClock(), durationSeconds: duration,
            generation: batch.generation, events: batch.events, rows: batch.rowCount,
            sources: batch.sources.count, error: failure)
        let failedBefore = state.withLock { state in
            defer { state.last = report }
            if failure == nil { state.lastHealthy = .now }
            return state.last?.error != nil
        }
        if failedBefore && failure == nil {
            logger.notice("flushes succeed again", metadata: ["generation": "\(batch.generation)"])
        }
        onReport(report)
        // The answers are on their way: now the log can be copied into the journal's file, and the
        // file given back the room a backlog took, once that is shipped and applied.
        if failure == nil { compactJournal() }
        return report
    }

    /// Checkpoints the journal's log, and rebuilds its file once a backlog's room in it is free
    /// (`Journal.compactIfMostlyFree`); a rebuild that fails (no room for the copy) is tried again
    /// 10 minutes later.
    private func compactJournal() {
        let due = state.withLock { $0.journalRebuildDue.map { ContinuousClock.now >= $0 } ?? true }
        do {
            let compacted = try journal.withLock { journal in
                journal.database.checkpoint()
                return due ? try journal.compactIfMostlyFree() : nil
            }
            if let (before, after) = compacted {
                logger.notice("journal rebuilt: the room its backlog took is given back",
                              metadata: ["bytes_before": "\(before)", "bytes_after": "\(after)"])
            }
        } catch {
            state.withLock { $0.journalRebuildDue = .now + .seconds(600) }
            logger.warning("journal: rebuilding its file failed; tried again in 10 minutes", metadata: ["error": "\(error)"])
        }
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
