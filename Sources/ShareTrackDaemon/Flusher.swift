import Dispatch
import Glibc
import Logging
import ShareTrackCore
import ShareTrackStore
import Synchronization

/// Writes the pipeline's batches to SQLite on its own serial queue: on a timer, on demand, and on
/// shutdown. Ingest keeps filling the next batch while one commits.
final class Flusher: Sendable {
    private struct State {
        var timer: (any DispatchSourceTimer)?
        var last: FlushReport?
        /// Monotonic time of the last flush that committed or found nothing to write.
        var lastHealthy: ContinuousClock.Instant
    }

    let queue = DispatchQueue(label: "sharetrack.flush")
    private let store: Mutex<Store>
    private let pipeline: Pipeline
    private let onCommit: @Sendable (UInt64) -> Void
    private let onReport: @Sendable (FlushReport) -> Void
    private let logger: Logger
    private let state: Mutex<State>

    /// - Parameters:
    ///   - onReport: told of every flush that wrote (or failed to write) a batch.
    ///   - onCommit: told the generation of every batch that committed.
    init(store: consuming sending Store, pipeline: Pipeline, logger: Logger,
         onReport: @escaping @Sendable (FlushReport) -> Void, onCommit: @escaping @Sendable (UInt64) -> Void) {
        self.store = Mutex(store)
        self.pipeline = pipeline
        self.logger = logger
        self.onCommit = onCommit
        self.onReport = onReport
        self.state = Mutex(State(lastHealthy: .now))
    }

    /// Flushes every `interval` seconds from now on (replacing an earlier schedule).
    func schedule(every interval: Double) {
        state.withLock { state in
            state.timer?.cancel()
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
            timer.setEventHandler { [weak self] in _ = self?.flushOnQueue() }
            timer.resume()
            state.timer = timer
        }
    }

    func cancelSchedule() {
        state.withLock { $0.timer }?.cancel()
    }

    /// Flushes now, then calls `completion` with what was written (nil: nothing to write).
    func flush(completion: @escaping @Sendable (FlushReport?) -> Void) {
        queue.async { completion(self.flushOnQueue()) }
    }

    /// Flushes until nothing is left in memory, retrying failures up to `attempts` times.
    func drain(attempts: Int) -> FlushReport? {
        queue.sync {
            var report: FlushReport?
            for _ in 0..<attempts where pipeline.hasUncommitted {
                report = flushOnQueue()
                if report?.error != nil { usleep(100_000) }
            }
            return report
        }
    }

    var lastReport: FlushReport? { state.withLock { $0.last } }

    /// How long ago the flush path last succeeded (or had nothing to do).
    var sinceHealthy: Duration { state.withLock { ContinuousClock.now - $0.lastHealthy } }

    /// A flush that wrote at least this many rows gives the freed memory back (`MallocTrim`).
    static let trimAfterRows = 50_000

    private func flushOnQueue() -> FlushReport? {
        let report = writeNextBatch()
        guard let report, report.error == nil else { return report }
        // The replies of the batch are released: now the log can be copied into the database.
        store.withLock { $0.checkpoint() }
        // Here the written batch has been freed (by the engine, and as `writeNextBatch`'s local).
        if report.rows >= Self.trimAfterRows { MallocTrim.run() }
        return report
    }

    private func writeNextBatch() -> FlushReport? {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let batch = pipeline.beginFlush() else {
            state.withLock { $0.lastHealthy = .now }
            return nil
        }
        let start = ContinuousClock.now
        var failure: String?
        do {
            try store.withLock { try $0.write(batch) }
        } catch {
            failure = String(describing: error)
        }
        let duration = ContinuousClock.now - start
        let report = FlushReport(
            time: Self.wallClock(), durationSeconds: duration.seconds, generation: batch.generation,
            events: batch.events, rows: batch.rowCount, error: failure)
        if let failure {
            logger.error("flush failed; keeping the batch in memory to retry",
                         metadata: ["generation": "\(batch.generation)", "error": "\(failure)"])
        } else {
            pipeline.finishFlush(batch.generation)
            onCommit(batch.generation)
            logger.debug("flushed", metadata: ["generation": "\(batch.generation)", "rows": "\(batch.rowCount)",
                                               "ms": "\(Int(duration.seconds * 1000))"])
        }
        state.withLock { state in
            state.last = report
            if failure == nil { state.lastHealthy = .now }
        }
        onReport(report)
        return report
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
