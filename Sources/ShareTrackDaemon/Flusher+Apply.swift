import Dispatch
import Logging
import ShareTrackCore
import ShareTrackStore

/// Applying the journaled batches to the tables (on `applyQueue`), and building the rollups of an
/// older database in steps between applies.
extension Flusher {
    /// When `applyJournaled` applies: `.now` (a `flush` command, a drain, `forget`, `backup`, a
    /// timed flush that found nothing to write), or `.due` (after a timed flush that wrote): while
    /// fewer than `applyAtOnceRows` rows wait (a light load: applying is cheap, and the tables
    /// stay as fresh as the journal), or once `applyBatches` batches or `applyRows` rows wait.
    enum ApplyTiming { case now, due }

    /// Seconds of rollup build steps after the applies of one flush, at most (the default
    /// `flush_interval`), while no batch waits to be applied; a step that begins before they are up
    /// may end after them. A caller waiting for the apply queue with nothing to apply (`sharectl
    /// flush` with nothing to write) may wait that long for them.
    static let rollupBuildSeconds = 1.0

    /// Seconds a step summing a rollup from the others (`RollupBuilds`) is sized to take: a step
    /// holds up the applies while it runs, and the rows one takes cost from 2 to 11 µs each,
    /// depending on the rollup and the machine's load (docs/benchmarks.md, round 24).
    static let rollupStepSeconds = 0.5

    /// Rows (`Batch.rowCount`) waiting below which a timed flush has them applied at once.
    static let applyAtOnceRows = 5_000

    /// The timed flushes have the journaled batches applied once this many wait (5 s at the
    /// default `flush_interval`): the batches of several flushes in one transaction, which writes
    /// each page they change once (they change many of the same pages: docs/benchmarks.md).
    /// Queries answer with the batches not applied yet.
    static let applyBatches = 5
    /// Rows (`Batch.rowCount`) applied in one transaction at most, and the rows
    /// waiting that have them applied before `applyBatches` do.
    static let applyRows = 400_000

    /// Applies the journaled batches to the tables, oldest first, up to `applyRows` rows per
    /// transaction; a failure leaves them journaled for the next flush to retry.
    func applyJournaled(_ timing: ApplyTiming = .now) {
        dispatchPrecondition(condition: .onQueue(applyQueue))
        var rows = 0
        while timing == .now || applyDue(), state.withLock({ $0.halted == nil }) {
            var batches: [Batch] = []
            var batchRows = 0
            // A prefix of the journaled batches: they are applied in generation order.
            for batch in pipeline.journaled {
                guard batches.isEmpty || batchRows + batch.rowCount <= Self.applyRows else { break }
                batches.append(batch)
                batchRows += batch.rowCount
            }
            guard let first = batches.first, let last = batches.last else { break }
            let generations = "\(first.generation)-\(last.generation)"
            let start = ContinuousClock.now
            do {
                let erased = try store.withLock { try $0.apply(batches) }
                let seconds = (ContinuousClock.now - start).seconds
                for (batch, erased) in zip(batches, erased) {
                    pipeline.finishApply(batch.generation)
                    if !batch.erasures.isEmpty { state.withLock { $0.erasedRows[batch.generation] = erased } }
                }
                rows += batchRows
                logger.debug("applied", metadata: ["generations": "\(generations)", "rows": "\(batchRows)",
                                                   "ms": "\(Int(seconds * 1000))"])
                let failedSince = state.withLock { state in
                    let since = state.applyFailure?.since
                    state.applyFailure = nil
                    // The last flush's share of the transaction, by rows.
                    if let flushed = batches.first(where: { $0.generation == state.last?.generation }) {
                        state.last?.applySeconds = seconds * Double(flushed.rowCount) / Double(max(batchRows, 1))
                    }
                    return since
                }
                if let failedSince {
                    logger.notice("applying batches works again", metadata: [
                        "failed_for_seconds": "\(Int((ContinuousClock.now - failedSince).seconds))"])
                }
            } catch {
                let failure = "applying generations \(generations) to the tables: \(error)"
                logger.error("applying a batch failed; the batches stay in the journal to retry",
                             metadata: ["generations": "\(generations)", "error": "\(error)"])
                state.withLock { $0.applyFailure = (failure, $0.applyFailure?.since ?? .now) }
                return
            }
        }
        if !rollupsBuilding.isEmpty { rows += buildRollups() }
        finishErasures()
        guard rows > 0 else { return }
        // Each transaction's log was copied into the database file as it committed (`Store`).
        store.withLock { $0.releaseCache() }
        // What the applies freed (their batches, the page cache just released) goes back to the
        // kernel after every apply: a small one after a large one fills and frees the page cache
        // too, and with the trim only after 50,000 rows or more, those pages stayed resident until
        // the next large apply (26-28 MiB after `make bench` in one run of five: session 67).
        MallocTrim.run()
    }

    /// The tables of the rollups still being built (`status`'s `rollups_building`).
    var rollupsBuilding: [String] {
        state.withLock { $0.rollupsBuilding }
    }

    /// Whether a timed flush has the journaled batches applied now (see `ApplyTiming.due`).
    private func applyDue() -> Bool {
        Self.applyDue(rows: pipeline.journaled.map(\.rowCount))
    }

    /// Whether journaled batches of `rows` rows each are applied now after a timed flush.
    static func applyDue(rows: [Int]) -> Bool {
        let total = rows.reduce(0, +)
        return !rows.isEmpty && (total < applyAtOnceRows || rows.count >= applyBatches || total >= applyRows)
    }

    /// Builds the rollups a step further, and more steps while no batch waits to be applied, for
    /// up to `rollupBuildSeconds` in all: the apply queue's idle time, so that a step delays an
    /// apply by itself at most. Returns the rows read, roughly.
    private func buildRollups() -> Int {
        let start = ContinuousClock.now
        var steps = 0
        repeat {
            guard buildRollupStep() else { break }
            steps += 1
        } while !rollupsBuilding.isEmpty && pipeline.nextToApply == nil && state.withLock({ $0.halted == nil })
            && (ContinuousClock.now - start).seconds < Self.rollupBuildSeconds
        return steps * Store.rollupBuildShares
    }

    /// The rows of the next step summing a rollup from the others, after one of `rows` took
    /// `seconds`: as many as would take `rollupStepSeconds` at its pace, but at most twice as many
    /// (a pace measured on a short step may be off) and at least 1,000.
    static func nextRollupStepRows(after rows: Int, took seconds: Double) -> Int {
        let paced = Double(rows) * rollupStepSeconds / max(seconds, 0.001)
        return max(1_000, min(2 * rows, Int(paced)))
    }

    /// Builds the rollups one step further; whether the step committed.
    private func buildRollupStep() -> Bool {
        do {
            let start = ContinuousClock.now
            let rows = state.withLock { $0.rollupStepRows }
            let (building, summing) = try store.withLock { store in
                let summing = store.sumsRollupsInSteps
                try store.buildRollups(shares: Store.rollupBuildShares, rows: rows)
                return (store.rollupsBuilding, summing)
            }
            let seconds = (ContinuousClock.now - start).seconds
            var metadata: Logger.Metadata = ["ms": "\(Int(seconds * 1000))"]
            if summing { metadata["rows"] = "\(rows)" }
            logger.debug("rollups built a step further", metadata: metadata)
            state.withLock { state in
                // Once a rollup is done, the next one's steps start over: its rows cost more or less.
                if summing {
                    state.rollupStepRows = building.count < state.rollupsBuilding.count
                        ? Store.rollupBuildRows : Self.nextRollupStepRows(after: rows, took: seconds)
                }
                state.rollupsBuilding = building
            }
            if building.isEmpty { logger.notice("rollups built: queries read them from now on") }
            return true
        } catch {
            logger.error("building the rollups failed; retrying at the next flush", metadata: ["error": "\(error)"])
            return false
        }
    }
}
