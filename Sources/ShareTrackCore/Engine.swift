/// The attribution state machine: applies validated events to the pending batch, decides
/// duplicates and unique visitors, and hands batches to the flush.
///
/// The engine does no I/O itself. A cache miss calls the `load` function it is given (the daemon
/// reads the token from SQLite); everything else is memory.
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
        /// events are `overloaded`.
        public var maxPendingKeys: Int
        /// Token states kept in memory.
        public var cacheCapacity: Int

        public init(tierBounds: TierBounds = .default, ackOnCommit: Bool = true,
                    maxPendingKeys: Int = 2_000_000, cacheCapacity: Int = 1_000_000) {
            self.tierBounds = tierBounds
            self.ackOnCommit = ackOnCommit
            self.maxPendingKeys = maxPendingKeys
            self.cacheCapacity = cacheCapacity
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
    public private(set) var totals = IngestTotals()
    public private(set) var sources: [String: SourceState]
    public private(set) var pending: Batch
    public private(set) var inFlight: Batch?
    /// Durable batches the store's tables do not hold yet, oldest first.
    public private(set) var journaled: [Batch] = []
    public private(set) var committedGeneration: UInt64
    /// The last generation the store's tables hold.
    public private(set) var appliedGeneration: UInt64
    /// The sum of every `value` accepted, the store's included (see `Money`).
    public private(set) var valueTotal: Money
    /// The pending generation when the token cache last rotated (see `finishApply(_:)`).
    private var rotatedDuring: UInt64 = 0
    private var committedSeqs: [String: UInt64]
    private var cache: TokenCache
    /// Per source, the lowest seq answered `overloaded` and not sent again since: its later seqs are
    /// refused too, so that a later line a producer had pipelined cannot be accepted first and turn
    /// the retry of the refused one into a "duplicate" (which would lose it).
    private var refusedFrom: [String: UInt64] = [:]

    /// - Parameters:
    ///   - sources: every producer's committed state, as the store holds it.
    ///   - committedGeneration: the last generation the store holds (durable and applied).
    ///   - valueTotal: the sum of every `value` the store holds.
    public init(configuration: Configuration, sources: [String: SourceState], committedGeneration: UInt64,
                valueTotal: Money = .zero) {
        self.configuration = configuration
        self.valueTotal = valueTotal
        self.sources = sources
        self.committedSeqs = sources.mapValues(\.highestSeq)
        self.committedGeneration = committedGeneration
        self.appliedGeneration = committedGeneration
        self.pending = Batch(generation: committedGeneration + 1)
        self.cache = TokenCache(capacity: configuration.cacheCapacity)
    }

    /// Every batch the store's tables do not hold yet: journaled, in flight and pending, oldest
    /// first; without their encoded effects, so that the engine's next line does not copy those.
    public var unapplied: [Batch] { journaled + [inFlight, pending].compactMap { $0?.withoutEffects } }
    /// Events not committed yet (pending and in flight).
    public var pendingEvents: Int { pending.events + (inFlight?.events ?? 0) }
    /// Counter rows not committed yet (pending and in flight).
    public var pendingKeys: Int { pending.counters.count + (inFlight?.counters.count ?? 0) }
    /// What `maxPendingKeys` bounds: counter rows plus visitor pairs (a share's row is one of its
    /// counter rows) held in memory, journaled, in flight and pending.
    public var pendingRows: Int {
        journaled.reduce(pending.rowsHeld + (inFlight?.rowsHeld ?? 0)) { $0 + $1.rowsHeld }
    }
    /// Whether anything is not durable yet.
    public var hasUncommitted: Bool { inFlight != nil || !pending.isEmpty }
    /// Whether anything is not in the store's tables yet.
    public var hasUnapplied: Bool { !journaled.isEmpty || hasUncommitted }
    public var cachedTokens: Int { cache.count }

    // MARK: Ingest

    /// Applies one event received at `now` (seconds since the epoch).
    public mutating func apply(_ event: Event, now: Int64, load: (String) throws -> TokenState) -> Reply {
        if event.test { return recordTest(event, now: now) }
        if case .conversion(_, let value) = event.kind, value.thousandths > Int64.max - valueTotal.thousandths {
            return reject(Rejection(.badField, "field 'value' would take the sum of all values past "
                                    + "\(Money(thousandths: .max)), the most this daemon can count exactly",
                                    source: event.origin?.source), now: now)
        }
        if pendingRows >= configuration.maxPendingKeys {
            return refuse(event, "the daemon holds too many uncommitted events; retry later", now: now)
        }
        if !refusedFrom.isEmpty, let origin = event.origin, let first = refusedFrom[origin.source], origin.seq > first {
            return refuse(event, "seq \(first) of this source was refused (overloaded); send it again first", now: now)
        }
        if let origin = event.origin, origin.seq <= sources[origin.source]?.highestSeq ?? 0 {
            let committed = origin.seq <= committedSeqs[origin.source] ?? 0
            return record(.duplicate, origin: origin, now: now, waitsForCommit: !committed)
        }
        let seen: (shared: Bool, firstVisit: Bool)
        do {
            seen = try cache.update(event.token, load: load) { state in
                let wasShared = state.shared
                switch event.kind {
                case .share:
                    state.shared = true
                    return (wasShared, false)
                case .click(let visitor, let bot):
                    return (wasShared, !bot && (visitor.map { state.visitors.insert($0) } ?? true))
                case .conversion:
                    return (wasShared, false)
                }
            }
        } catch {
            return refuse(event, "the database cannot be read (\(error)); retry later", now: now)
        }

        let time = event.time ?? now
        let key = CounterKey(token: event.token, hour: time.hourBucket)
        var delta = Counters()
        switch event.kind {
        case .share(let attributes):
            if seen.shared {
                return record(.duplicate, origin: event.origin, now: now, waitsForCommit: true)
            }
            let tier = configuration.tierBounds.tier(forFollowers: attributes.followers)
            pending.add(ShareRecord(token: event.token, attributes: attributes, tier: tier, time: time))
            delta.shares = 1
            delta.reach = Int64(attributes.followers)
            totals.count(acceptedType: .share)
        case .click(_, let bot):
            if bot {
                delta.botClicks = 1
            } else {
                delta.clicks = 1
                delta.uniqueClicks = seen.firstVisit ? 1 : 0
            }
            // One rule everywhere (docs/protocol.md, Orphans): a bot click is never an orphan click.
            totals.count(acceptedType: .click, orphan: !seen.shared && !bot)
        case .conversion(_, let value):
            delta.conversions = 1
            delta.value = value
            valueTotal.thousandths += value.thousandths
            totals.count(acceptedType: .conversion, orphan: !seen.shared)
        }
        pending.add(delta, at: key)
        if case .click(let visitor?, bot: false) = event.kind, seen.firstVisit {
            pending.add(VisitorPair(token: event.token, visitor: visitor, hour: key.hour))
        }
        return record(.accepted, origin: event.origin, now: now, waitsForCommit: true)
    }

    /// Counts a line that was rejected before or while it was applied; changes no counter.
    public mutating func reject(_ rejection: Rejection, now: Int64) -> Reply {
        guard rejection.counted else { return Reply(outcome: .rejected(rejection), waitFor: 0) }
        totals.rejected[rejection.code, default: 0] += 1
        if let source = rejection.source {
            var state = sources[source] ?? SourceState()
            state.rejected += 1
            state.lastSeen = now
            sources[source] = state
            pending.sources[source] = state
        }
        return Reply(outcome: .rejected(rejection), waitFor: 0)
    }

    /// Counts a test event: only in `totals.test` and its source's `test`; stores nothing else.
    private mutating func recordTest(_ event: Event, now: Int64) -> Reply {
        totals.test += 1
        if let source = event.origin?.source {
            var state = sources[source] ?? SourceState()
            state.test += 1
            state.lastSeen = now
            sources[source] = state
            pending.sources[source] = state
        }
        return Reply(outcome: .test, waitFor: 0)
    }

    /// Answers `overloaded`; the source's later seqs are refused until this one is sent again.
    private mutating func refuse(_ event: Event, _ message: String, now: Int64) -> Reply {
        if let origin = event.origin {
            refusedFrom[origin.source] = min(refusedFrom[origin.source] ?? .max, origin.seq)
        }
        return reject(Rejection(.overloaded, message, source: event.origin?.source), now: now)
    }

    private mutating func record(_ outcome: Reply.Outcome, origin: Origin?, now: Int64, waitsForCommit: Bool) -> Reply {
        if outcome == .duplicate { totals.duplicates += 1 }
        pending.events += 1
        if let origin {
            if !refusedFrom.isEmpty, let first = refusedFrom[origin.source], origin.seq >= first {
                refusedFrom[origin.source] = nil
            }
            // Updated in place: one lookup of the source per line (this runs for every line).
            func update(_ state: inout SourceState) -> SourceState {
                state.highestSeq = max(state.highestSeq, origin.seq)
                state.lastSeen = now
                if outcome == .duplicate { state.duplicates += 1 } else { state.accepted += 1 }
                return state
            }
            pending.sources[origin.source] = update(&sources[origin.source, default: SourceState()])
        }
        let waits = configuration.ackOnCommit && waitsForCommit
        return Reply(outcome: outcome, waitFor: waits ? pending.generation : 0)
    }

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
            committedSeqs[source] = state.highestSeq
        }
        committedGeneration = generation
        journaled.append(batch.withoutEffects)
        inFlight = nil
    }

    // MARK: Erasure

    /// Starts the batch that carries `erasure`: the pending batch, if it holds rows, goes in flight
    /// (the flush writes it first), and a new pending batch begins with the erasure, so that it
    /// erases what came before it and nothing after. The visitor is forgotten by the token cache
    /// at once: a later click counts as a first visit again. Returns the erasure's generation, or
    /// nil while a failed flush still holds a batch in flight.
    public mutating func erase(_ erasure: Erasure) -> UInt64? {
        guard inFlight == nil else { return nil }
        if pending.hasRows {
            inFlight = pending
            pending = Batch(generation: pending.generation + 1, sizedLike: pending)
        }
        pending.add(erasure)
        if case .visitor(let hash) = erasure { cache.removeVisitor(hash) }
        return pending.generation
    }

    /// Forgets visitor pairs the store has deleted (`visitor_retention`): a later click by one of
    /// those visitors on that share counts as a first visit again.
    public mutating func forgetVisitors(_ pairs: [(token: String, visitor: UInt64)]) {
        for pair in pairs { cache.removeVisitor(pair.visitor, of: pair.token) }
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
        appliedGeneration = generation
        let oldestUnapplied = journaled.first?.generation ?? inFlight?.generation ?? pending.generation
        if oldestUnapplied > rotatedDuring {
            cache.rotate()
            rotatedDuring = pending.generation
        }
    }
}

extension Batch {
    /// The rows `maxPendingKeys` counts.
    fileprivate var rowsHeld: Int { counters.count + visitors.count }
}
