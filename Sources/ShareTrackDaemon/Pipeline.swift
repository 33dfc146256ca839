import ShareTrackCore
import ShareTrackStore
import Synchronization

/// The attribution engine and the connection it reads cache misses with, behind one lock.
///
/// Ingest connections apply a whole read's worth of lines per lock; the flush takes and retires
/// batches; queries take a snapshot. Nobody holds the lock across I/O other than a token lookup.
final class Pipeline: Sendable {
    private struct State {
        var engine: Engine
        let reader: TokenReader
        /// Why no line may be accepted any more (see `halt(_:)`).
        var halted: String?
        /// The generation of the pending batch a query was last handed the records of.
        var lookedAt: UInt64?
        /// The last batch flushed, with its records, if a query looked at it while it was pending,
        /// until the next flush: the query engine finishes the sums it kept of that batch with
        /// what it gained since, rather than summing it whole again.
        var flushed: Batch?
    }

    /// What a query needs of the in-memory state, copied under the lock (copy-on-write, so cheap).
    struct Snapshot: Sendable {
        var batches: [Batch]
        var totals: IngestTotals
        var pendingEvents: Int
        var pendingKeys: Int
        /// Durable batches the tables do not hold yet, and their events.
        var applying: (batches: Int, events: Int)
        var cachedTokens: Int
        var committedGeneration: UInt64
    }

    private let state: Mutex<State>

    init(engine: Engine, reader: sending TokenReader) {
        state = Mutex(State(engine: engine, reader: reader))
    }

    /// Applies parsed lines in order and appends one reply for each to `replies`.
    func apply(_ lines: [Result<Event, Rejection>], now: Int64, into replies: inout ReplyQueue) {
        state.withLock { state in
            state.engine.apply(lines, now: now, refusing: state.halted, reader: state.reader) { replies.append($0) }
        }
    }

    /// Refuses every event from now on (`overloaded`, with `reason`): the daemon is stopping
    /// because what it would acknowledge could not be kept.
    func halt(_ reason: String) {
        state.withLock { $0.halted = reason }
    }

    func beginFlush() -> Batch? {
        state.withLock { state in
            let batch = state.engine.beginFlush()
            if let batch { state.flushed = batch.generation == state.lookedAt ? batch : nil }
            return batch
        }
    }

    func finishFlush(_ generation: UInt64) {
        state.withLock { $0.engine.finishFlush(generation) }
    }

    /// Starts the batch that carries `erasure` (`Engine.erase`); nil while a failed flush holds a
    /// batch in flight.
    func erase(_ erasure: SealedErasure) -> UInt64? {
        state.withLock { $0.engine.erase(erasure) }
    }

    /// Whether a batch the tables do not hold yet has a visitor pair of a click before `cutoff`.
    func unappliedHoldVisitors(before cutoff: Int64) -> Bool {
        state.withLock { $0.engine.unappliedHoldVisitors(before: cutoff) }
    }

    /// Forgets visitor pairs the store has deleted (`visitor_retention`).
    func forgetVisitors(_ pairs: [(token: String, visitor: UInt64)]) {
        state.withLock { $0.engine.forgetVisitors(pairs) }
    }

    var committedGeneration: UInt64 {
        state.withLock { $0.engine.committedGeneration }
    }

    var appliedGeneration: UInt64 {
        state.withLock { $0.engine.appliedGeneration }
    }

    /// The durable batches the tables do not hold yet, oldest first.
    var journaled: [Batch] {
        state.withLock { $0.engine.journaled }
    }

    var nextToApply: Batch? {
        state.withLock { $0.engine.nextToApply }
    }

    func finishApply(_ generation: UInt64) {
        state.withLock { $0.engine.finishApply(generation) }
    }

    var hasUncommitted: Bool {
        state.withLock { $0.engine.hasUncommitted }
    }

    /// What a query reads of memory: the batches the tables may not hold yet, and the records the
    /// pending batch (and the one flushed before it) gained after `seen` (where the query engine's
    /// sums of it stand). `asking`: for someone's question, so that the pending batch is kept with
    /// its records when it is flushed (not for `QueryRunner.keepUp`, which runs whoever asks).
    func live(after seen: PendingEffects.Position?, asking: Bool = true) -> LiveData {
        state.withLock { state in
            if asking { state.lookedAt = state.engine.pending.generation }
            return LiveData(batches: state.engine.unapplied, pending: state.engine.pending, flushed: state.flushed, after: seen)
        }
    }

    var hasUnapplied: Bool {
        state.withLock { $0.engine.hasUnapplied }
    }

    /// Forgets the highest seq of `source` (see `Engine.resetSource`); the seq forgotten, `nil` for
    /// a source never seen.
    func resetSource(_ source: String) throws -> UInt64? {
        try state.withLock { try $0.engine.resetSource(source, reader: $0.reader) }
    }

    /// Has the engine follow a reloaded configuration.
    func reconfigure(_ configuration: Engine.Configuration) {
        state.withLock { $0.engine.configuration = configuration }
    }

    func snapshot() -> Snapshot {
        state.withLock { state in
            let engine = state.engine
            return Snapshot(
                batches: engine.unapplied,
                totals: engine.totals,
                pendingEvents: engine.pendingEvents,
                pendingKeys: engine.pendingKeys,
                applying: (engine.journaled.count, engine.journaled.reduce(0) { $0 + $1.events }),
                cachedTokens: engine.cachedTokens,
                committedGeneration: engine.committedGeneration)
        }
    }
}
