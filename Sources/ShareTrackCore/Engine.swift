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
        /// events are `overloaded`.
        public var maxPendingKeys: Int
        /// Token states kept in memory.
        public var cacheCapacity: Int
        /// Producers kept in memory.
        public var sourceCapacity: Int

        public init(tierBounds: TierBounds = .default, ackOnCommit: Bool = true,
                    maxPendingKeys: Int = 2_000_000, cacheCapacity: Int = 1_000_000, sourceCapacity: Int = 100_000) {
            self.tierBounds = tierBounds
            self.ackOnCommit = ackOnCommit
            self.maxPendingKeys = maxPendingKeys
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
    public private(set) var totals = IngestTotals()
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
    private var cache: GenerationCache<TokenState>
    /// The active producers. Per source, the lowest seq answered `overloaded` and not sent again
    /// since (`refusedFrom`): its later seqs are refused too, so that a later line a producer had
    /// pipelined cannot be accepted first and turn the retry of the refused one into a "duplicate"
    /// (which would lose it).
    private var sources: GenerationCache<ActiveSource>

    /// - Parameters:
    ///   - committedGeneration: the last generation the store holds (durable and applied).
    ///   - valueTotal: the sum of every `value` the store holds.
    public init(configuration: Configuration, committedGeneration: UInt64, valueTotal: Money = .zero) {
        self.configuration = configuration
        self.valueTotal = valueTotal
        self.committedGeneration = committedGeneration
        self.appliedGeneration = committedGeneration
        self.pending = Batch(generation: committedGeneration + 1)
        self.cache = GenerationCache(capacity: configuration.cacheCapacity)
        self.sources = GenerationCache(capacity: configuration.sourceCapacity)
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
    public var cachedSources: Int { sources.count }

    /// The producer's state if it is in memory (an active producer).
    public func activeSource(_ source: String) -> SourceState? { sources[source]?.state }

    // MARK: Ingest

    /// Applies one event received at `now` (seconds since the epoch).
    public mutating func apply(_ event: Event, now: Int64, reader: some EngineReader) -> Reply {
        if event.test { return recordTest(event, now: now, reader: reader) }
        if case .conversion(_, let value) = event.kind, value.thousandths > Int64.max - valueTotal.thousandths {
            return reject(Rejection(.badField, "field 'value' would take the sum of all values past "
                                    + "\(Money(thousandths: .max)), the most this daemon can count exactly",
                                    source: event.origin?.source), now: now, reader: reader)
        }
        if pendingRows >= configuration.maxPendingKeys {
            return refuse(event, "the daemon holds too many uncommitted events; retry later", now: now, reader: reader)
        }
        // The producer is looked up once; `record` updates it through the same slot.
        var producer: Producer?
        if let origin = event.origin {
            let source: ActiveSource
            do {
                let slot = try sources.slot(of: origin.source, load: { try ActiveSource(stored: reader.source($0)) })
                try sources[slot].load(origin.source, from: reader)
                source = sources[slot]
                producer = Producer(origin: origin, slot: slot)
            } catch {
                return refuse(event, "the database cannot be read (\(error)); retry later", now: now, reader: reader)
            }
            if let first = source.refusedFrom, origin.seq > first {
                return refuse(event, "seq \(first) of this source was refused (overloaded); send it again first",
                              now: now, reader: reader)
            }
            if origin.seq <= source.highestSeq {
                return record(.duplicate, producer: producer, now: now, waitsForCommit: origin.seq > source.committedSeq)
            }
        }
        let seen: (shared: Bool, firstVisit: Bool)
        do {
            seen = try cache.update(event.token, load: reader.token) { state in
                let wasShared = state.shared
                switch event.kind {
                case .share:
                    state.shared = true
                    return (wasShared, false)
                case .click(let visitor?, bot: false):
                    return (wasShared, try state.addVisitor(visitor) { try reader.hasVisitor(visitor, of: event.token) })
                case .click(nil, let bot):
                    return (wasShared, !bot)
                case .click, .conversion:
                    return (wasShared, false)
                }
            }
        } catch {
            return refuse(event, "the database cannot be read (\(error)); retry later", now: now, reader: reader)
        }

        let time = event.time ?? now
        let key = CounterKey(token: event.token, hour: time.hourBucket)
        var delta = Counters()
        switch event.kind {
        case .share(let attributes):
            if seen.shared {
                return record(.duplicate, producer: producer, now: now, waitsForCommit: true)
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
        return record(.accepted, producer: producer, now: now, waitsForCommit: true)
    }

    /// Counts a line that was rejected before or while it was applied; changes no counter. A
    /// rejected line counts against its source only if that source is a producer already: it never
    /// makes one (or memory would grow with every made-up `source`).
    public mutating func reject(_ rejection: Rejection, now: Int64, reader: some EngineReader) -> Reply {
        guard rejection.counted else { return Reply(outcome: .rejected(rejection), waitFor: 0) }
        totals.rejected[rejection.code, default: 0] += 1
        if let source = rejection.source {
            _ = try? sources.updateIfFound(source, load: { try reader.source($0).map(ActiveSource.init) }) {
                try $0.load(source, from: reader)
                guard var state = $0.state else { return }
                state.rejected += 1
                state.lastSeen = now
                $0.state = state
                pending.sources[source] = state
            }
        }
        return Reply(outcome: .rejected(rejection), waitFor: 0)
    }

    /// Counts a test event: only in `totals.test` and its source's `test`; stores nothing else.
    private mutating func recordTest(_ event: Event, now: Int64, reader: some EngineReader) -> Reply {
        totals.test += 1
        if let source = event.origin?.source {
            _ = try? sources.update(source, load: { try ActiveSource(stored: reader.source($0)) }) {
                try $0.load(source, from: reader)
                var state = $0.state ?? SourceState()
                state.test += 1
                state.lastSeen = now
                $0.state = state
                pending.sources[source] = state
            }
        }
        return Reply(outcome: .test, waitFor: 0)
    }

    /// Answers `overloaded`; the source's later seqs are refused until this one is sent again.
    private mutating func refuse(_ event: Event, _ message: String, now: Int64, reader: some EngineReader) -> Reply {
        if let origin = event.origin {
            // Without reading the store (which may be what fails): a new entry is read at its next use.
            sources.update(origin.source, load: { _ in .unloaded }) { entry in
                entry.refusedFrom = min(entry.refusedFrom ?? .max, origin.seq)
            }
        }
        return reject(Rejection(.overloaded, message, source: event.origin?.source), now: now, reader: reader)
    }

    /// A line's producer, and where the source cache holds it.
    private struct Producer {
        var origin: Origin
        var slot: GenerationCache<ActiveSource>.Slot
    }

    private mutating func record(_ outcome: Reply.Outcome, producer: Producer?, now: Int64, waitsForCommit: Bool) -> Reply {
        if outcome == .duplicate { totals.duplicates += 1 }
        pending.events += 1
        if let producer {
            // The source cache has not changed since the lookup: the slot is still the source's.
            let seq = producer.origin.seq
            var entry = sources[producer.slot]
            if let first = entry.refusedFrom, seq >= first { entry.refusedFrom = nil }
            var state = entry.state ?? SourceState()
            state.highestSeq = max(state.highestSeq, seq)
            state.lastSeen = now
            if outcome == .duplicate { state.duplicates += 1 } else { state.accepted += 1 }
            entry.state = state
            sources[producer.slot] = entry
            pending.sources[producer.origin.source] = state
        }
        let waits = configuration.ackOnCommit && waitsForCommit
        return Reply(outcome: outcome, waitFor: waits ? pending.generation : 0)
    }

    /// Forgets the highest seq of `source`, so that its seqs may start again at 1 (a reinstalled
    /// kiosk). The change goes into the pending batch: the batches before it still carry the old
    /// seq, and the store applies them first. Returns the seq forgotten; `nil` for a source never
    /// seen.
    public mutating func resetSource(_ source: String, reader: some EngineReader) throws -> UInt64? {
        let generation = pending.generation
        let reset = try sources.updateIfFound(source, load: { try reader.source($0).map(ActiveSource.init) }) {
            entry -> (SourceState, UInt64)? in
            try entry.load(source, from: reader)
            guard var state = entry.state else { return nil }
            let forgotten = state.highestSeq
            state.highestSeq = 0
            entry.state = state
            entry.committedSeq = 0
            entry.resetIn = generation
            entry.refusedFrom = nil
            return (state, forgotten)
        }
        guard let (state, forgotten) = reset ?? nil else { return nil }
        pending.sources[source] = state
        return forgotten
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
            // Cached: a source that an unapplied batch holds is never dropped.
            _ = sources.updateIfFound(source, load: { _ in nil }) { entry in
                if generation >= entry.resetIn { entry.committedSeq = state.highestSeq }
            }
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
        if case .visitor(let hash) = erasure { cache.forEach { $0.visitors.remove(hash) } }
        return pending.generation
    }

    /// Forgets visitor pairs the store has deleted (`visitor_retention`): a later click by one of
    /// those visitors on that share counts as a first visit again.
    public mutating func forgetVisitors(_ pairs: [(token: String, visitor: UInt64)]) {
        for pair in pairs {
            _ = cache.updateIfFound(pair.token, load: { _ in nil }) { $0.visitors.remove(pair.visitor) }
        }
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
            sources.rotate()
            rotatedDuring = pending.generation
        }
    }
}

extension Batch {
    /// The rows `maxPendingKeys` counts.
    fileprivate var rowsHeld: Int { counters.count + visitors.count }
}
