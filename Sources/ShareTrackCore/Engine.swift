/// The attribution state machine: applies validated events to the pending batch, decides
/// duplicates and unique visitors, and hands batches to the flush.
///
/// The engine does no I/O itself. A cache miss asks the `EngineReader` it is given (the daemon
/// reads SQLite); everything else is memory. Token states and producers are held in bounded
/// caches (`GenerationCache`): only the active ones are in memory.
///
/// A batch leaves in two steps. `beginFlush()` hands out the pending batch (at most one is in
/// flight), and `finishFlush(_:)` records that it is durable (in the store's journal): its lines may
/// be answered. It stays in memory, `journaled`, until `finishApply(_:)` records that the store's
/// tables hold it too. A failed flush leaves the batch in flight to be written again by the next
/// `beginFlush()`; a failed apply leaves it journaled for the next attempt.
public struct Engine: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var tierBounds: TierBounds
        /// `ack: commit`: an `ok` waits for the commit that holds its effect.
        public var ackOnCommit: Bool
        /// Rows held in memory (counter rows and new visitor pairs, pending and in flight) before new
        /// events are `overloaded` (`max_pending_rows`).
        public var maxPendingRows: Int
        /// `maxPendingRows` unless configured otherwise.
        public static let defaultMaxPendingRows = 2_000_000
        /// Token states kept in memory.
        public var cacheCapacity: Int
        /// Producers kept in memory.
        public var sourceCapacity: Int

        public init(tierBounds: TierBounds = .default, ackOnCommit: Bool = true,
                    maxPendingRows: Int = defaultMaxPendingRows, cacheCapacity: Int = 1_000_000, sourceCapacity: Int = 100_000) {
            self.tierBounds = tierBounds
            self.ackOnCommit = ackOnCommit
            self.maxPendingRows = maxPendingRows
            self.cacheCapacity = cacheCapacity
            self.sourceCapacity = sourceCapacity
        }
    }

    /// The answer to one line, and the generation whose commit it waits for (0: none).
    public struct Reply: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            case accepted
            case duplicate
            /// A test event, validated and counted as a test only.
            case test
            case rejected(Rejection)
        }

        public var outcome: Outcome
        public var waitFor: UInt64
    }

    public var configuration: Configuration
    public internal(set) var totals = IngestTotals()
    public internal(set) var pending: Batch
    public private(set) var inFlight: Batch?
    /// Durable batches the store's tables do not hold yet, oldest first.
    public private(set) var journaled: [Batch] = []
    /// Their `rowsHeld`, summed as they come and go: `pendingRows` is asked on every line, and
    /// while the tables cannot be written (a locked database) a batch a second waits there.
    private var journaledRows = 0
    public private(set) var committedGeneration: UInt64
    /// The last generation the store's tables hold.
    public private(set) var appliedGeneration: UInt64
    /// The sum of every `value` accepted, the store's included (see `Money`).
    public internal(set) var valueTotal: Money
    /// The pending generation when the token cache last rotated (see `finishApply(_:)`).
    private var rotatedDuring: UInt64 = 0
    var cache: TokenCache
    /// The visitors erased by batches the store's tables do not hold yet, each with the latest such
    /// batch's generation: the tables may still hold their pairs, so what a token's state loads
    /// from them meanwhile leaves these out (`stored(_:_:erased:)`); else the erased visitor's next
    /// click would not count as a first visit again, until a restart.
    public private(set) var erasedVisitors: [UInt64: UInt64] = [:]
    /// The active producers. Per source, the lowest seq answered `overloaded` and not sent again
    /// since (`refusedFrom`): its later seqs are refused too, so that a later line a producer had
    /// pipelined cannot be accepted first and turn the retry of the refused one into a "duplicate"
    /// (which would lose it).
    var sources: GenerationCache<ActiveSource>
    /// The producer whose lines the current read counted last, while the pending batch lacks its
    /// state (`recordProducerState()`).
    var unrecordedProducer: String?

    /// - Parameters:
    ///   - committedGeneration: the last generation the store holds (durable and applied).
    ///   - valueTotal: the sum of every `value` the store holds.
    public init(configuration: Configuration, committedGeneration: UInt64, valueTotal: Money = .zero) {
        self.configuration = configuration
        self.valueTotal = valueTotal
        self.committedGeneration = committedGeneration
        self.appliedGeneration = committedGeneration
        self.pending = Batch(generation: committedGeneration + 1)
        self.cache = TokenCache(capacity: configuration.cacheCapacity)
        self.sources = GenerationCache(capacity: configuration.sourceCapacity)
    }

    /// Every batch the store's tables do not hold yet: journaled, in flight and pending, oldest
    /// first; without their encoded effects, so that the engine's next line does not copy those.
    public var unapplied: [Batch] { journaled + [inFlight, pending].compactMap { $0?.withoutEffects } }
    /// Events not committed yet (pending and in flight).
    public var pendingEvents: Int { pending.events + (inFlight?.events ?? 0) }
    /// Counter rows not committed yet (pending and in flight).
    public var pendingKeys: Int { pending.counters.count + (inFlight?.counters.count ?? 0) }
    /// What `maxPendingRows` bounds: counter rows plus visitor pairs (a share's row is one of its
    /// counter rows) held in memory, journaled, in flight and pending.
    public var pendingRows: Int { journaledRows + pending.rowsHeld + (inFlight?.rowsHeld ?? 0) }
    /// Whether anything is not durable yet.
    public var hasUncommitted: Bool { inFlight != nil || !pending.isEmpty }
    /// Whether anything is not in the store's tables yet.
    public var hasUnapplied: Bool { !journaled.isEmpty || hasUncommitted }
    public var cachedTokens: Int { cache.count }
    public var cachedSources: Int { sources.count }

    /// The producer's state if it is in memory (an active producer).
    public func activeSource(_ source: String) -> SourceState? { sources[source]?.state }

    // MARK: Flush

    /// The batch to write next: the one still in flight after a failure, else the pending one
    /// (which a fresh pending batch replaces); `nil` when there is nothing to write.
    public mutating func beginFlush() -> Batch? {
        if let inFlight { return inFlight }
        guard !pending.isEmpty else { return nil }
        inFlight = pending
        pending = Batch(generation: pending.generation + 1, sizedLike: pending)
        return inFlight
    }

    /// Records that the in-flight batch is durable; it waits in `journaled` to be applied.
    public mutating func finishFlush(_ generation: UInt64) {
        guard let batch = inFlight, batch.generation == generation else { return }
        for (source, state) in batch.sources {
            // Cached: a source that an unapplied batch holds is never dropped.
            _ = sources.updateIfFound(source, load: { _ in nil }) { entry in
                if generation >= entry.resetIn { entry.committedSeq = state.highestSeq }
            }
        }
        committedGeneration = generation
        journaled.append(batch.withoutEffects)
        journaledRows += batch.rowsHeld
        inFlight = nil
    }

    // MARK: Erasure

    /// Starts the batch that carries `erasure`: the pending batch, if it holds rows, goes in flight
    /// (the flush writes it first), and a new pending batch begins with the erasure, so that it
    /// erases what came before it and nothing after. The visitor is forgotten by the token cache
    /// at once: a later click counts as a first visit again. Returns the erasure's generation, or
    /// nil while a failed flush still holds a batch in flight.
    public mutating func erase(_ erasure: SealedErasure) -> UInt64? {
        guard inFlight == nil else { return nil }
        if pending.hasRows {
            inFlight = pending
            pending = Batch(generation: pending.generation + 1, sizedLike: pending)
        }
        pending.add(erasure)
        if case .visitor(let hash) = erasure.erasure {
            cache.forget(hash)
            erasedVisitors[hash] = pending.generation
        }
        return pending.generation
    }

    /// What the store's tables hold of `token`, less the visitors `erased` by batches they do not
    /// hold yet (`erasedVisitors`).
    static func stored(_ token: String, _ reader: some EngineReader, erased: [UInt64: UInt64]) throws -> StoredToken {
        var stored = try reader.token(token)
        if !erased.isEmpty { stored.visitors.removeAll { erased[$0] != nil } }
        return stored
    }

    /// Forgets visitor pairs the store has deleted (`visitor_retention`): a later click by one of
    /// those visitors on that share counts as a first visit again.
    public mutating func forgetVisitors(_ pairs: [(token: String, visitor: UInt64)]) {
        for pair in pairs {
            cache.forget(pair.visitor, of: pair.token)
        }
    }

    /// Whether a batch the tables do not hold yet (journaled, in flight or pending) has a visitor
    /// pair of a click before `cutoff` (`visitor_retention`).
    public func unappliedHoldVisitors(before cutoff: Int64) -> Bool {
        pending.oldestPairTime < cutoff || (inFlight?.oldestPairTime ?? .max) < cutoff
            || journaled.contains { $0.oldestPairTime < cutoff }
    }

    /// The oldest journaled batch: the next one to apply to the store's tables.
    public var nextToApply: Batch? { journaled.first }

    /// Retires the oldest journaled batch once the store's tables hold it.
    ///
    /// The token cache may then rotate (drop its cold generation), but only if every batch still
    /// unapplied was begun after the previous rotation: its tokens have all been touched since, so
    /// they are in the hot generation, which the rotation keeps. (A token the tables do not reflect
    /// yet must never be dropped: loading it again would read a stale state.)
    public mutating func finishApply(_ generation: UInt64) {
        guard let batch = journaled.first, batch.generation == generation else { return }
        journaled.removeFirst()
        journaledRows -= batch.rowsHeld
        appliedGeneration = generation
        if !erasedVisitors.isEmpty { erasedVisitors = erasedVisitors.filter { $0.value > generation } }
        let oldestUnapplied = journaled.first?.generation ?? inFlight?.generation ?? pending.generation
        if oldestUnapplied > rotatedDuring {
            cache.rotate()
            sources.rotate()
            rotatedDuring = pending.generation
        }
    }
}

extension Batch {
    /// The rows `maxPendingRows` counts.
    var rowsHeld: Int { counters.count + visitors.count }
}
