/// Everything ingested between two flushes: counter deltas and new rows, written in one transaction.
///
/// A batch is numbered by its `generation`; the store records the last committed generation in the
/// same transaction, so a reader can tell which in-memory batches its database snapshot already holds.
///
/// A batch may begin with erasures (`sharectl forget`): they apply to everything the batches before
/// it recorded, and not to the batch's own rows, which came after them.
///
/// Counter deltas, shares, visitor pairs and erasures are recorded through `add`, which also appends each to
/// `effects`, the batch's journal record (`BatchCodec`): encoding happens a line at a time as the
/// batch fills, so making it durable is only a write.
public struct Batch: Sendable {
    public let generation: UInt64
    /// The counter deltas per key, in the order their keys came (`CounterTable`): the entries in
    /// an array filled from the front, so a batch holds about as much memory as it has entries.
    /// A `Dictionary` reserved at the previous batch's size spread its entries over every page of
    /// its buckets (twice as many as entries, or more) from the start: the waiting batches of a
    /// burst in `ack: receive` mode held 69 MiB more at the peak (docs/benchmarks.md, session 63).
    public private(set) var counters = CounterTable()
    public private(set) var shares: [ShareRecord] = []
    public private(set) var visitors: [VisitorPair] = []
    public private(set) var erasures: [Erasure] = []
    /// The time of its oldest visitor pair's click (`Int64.max`: none), for `visitor_retention`.
    public private(set) var oldestPairTime = Int64.max
    /// The full state of every producer this batch touched.
    public var sources: [String: SourceState] = [:]
    /// Lines this batch acknowledges (accepted and duplicate).
    public var events = 0
    /// Every `add` so far, encoded (`BatchCodec`); emptied once the journal holds them.
    public internal(set) var effects = ByteWriter()

    public init(generation: UInt64) {
        self.generation = generation
    }

    /// A batch with room for as much as `previous` held: each of its tables is then allocated once,
    /// instead of doubling its way up (every step a fresh block of pages to fault in and a copy).
    init(generation: UInt64, sizedLike previous: Batch) {
        self.generation = generation
        counters.reserveCapacity(previous.counters.count)
        shares.reserveCapacity(previous.shares.count)
        visitors.reserveCapacity(previous.visitors.count)
        effects.reserveCapacity(previous.effects.bytes.count)
    }

    public var isEmpty: Bool { events == 0 && sources.isEmpty && erasures.isEmpty }

    /// Whether it holds counter deltas, shares or visitor pairs (an erasure may only come first).
    public var hasRows: Bool { !counters.isEmpty || !shares.isEmpty || !visitors.isEmpty }

    /// Rows the flush writes.
    public var rowCount: Int { counters.count + shares.count + visitors.count + sources.count }

    public mutating func add(_ delta: Counters, at key: CounterKey) {
        counters.add(delta, at: key)
        BatchCodec.encode(delta, at: key, into: &effects)
    }

    public mutating func add(_ share: ShareRecord) {
        shares.append(share)
        BatchCodec.encode(share, into: &effects)
    }

    public mutating func add(_ pair: VisitorPair) {
        visitors.append(pair)
        oldestPairTime = min(oldestPairTime, pair.time)
        BatchCodec.encode(pair, into: &effects)
    }

    /// Records the visitor pair `sealed` holds, which the journal gets sealed (a rewritten batch's).
    public mutating func add(_ sealed: SealedPair) {
        visitors.append(sealed.pair)
        oldestPairTime = min(oldestPairTime, sealed.pair.time)
        BatchCodec.encode(sealed, into: &effects)
    }

    /// Records an erasure; only before anything else (see above). The journal gets it sealed.
    public mutating func add(_ erasure: SealedErasure) {
        precondition(!hasRows, "an erasure must lead its batch")
        erasures.append(erasure.erasure)
        BatchCodec.encode(erasure, into: &effects)
    }

    /// Only the counter deltas and shares of the tokens `included` selects (for an answer about a
    /// few tokens, which then walks theirs instead of the whole batch's).
    public func only(_ included: (String) -> Bool) -> Batch {
        var part = Batch(generation: generation)
        part.counters = counters.filter { included($0.key.token) }
        part.shares = shares.filter { included($0.token) }
        return part
    }

    /// The hours of its counter rows.
    public var hours: Set<Int64> { Set(counters.keys.lazy.map(\.hour)) }

    /// What `only` selects for `tokens`, found by looking each token up at each of `hours` (at least
    /// the hours of those tokens' counter rows) instead of testing every counter row: for a few
    /// tokens, a few lookups each.
    public func only(_ tokens: Set<String>, at hours: some Collection<Int64>) -> Batch {
        var part = Batch(generation: generation)
        for token in tokens {
            for hour in hours {
                let key = CounterKey(token: token, hour: hour)
                if let found = counters[key] { part.counters.add(found, at: key) }
            }
        }
        part.shares = shares.filter { tokens.contains($0.token) }
        return part
    }

    /// `batches` (consecutive, in generation order; only the first may begin with erasures) as one
    /// batch of the last one's generation, for the store to write together: each key's counter
    /// deltas summed, the shares and visitor pairs in order, each producer's last state. Without
    /// effects (the journal holds each batch's).
    public static func merged(_ batches: ArraySlice<Batch>) -> Batch {
        precondition(!batches.isEmpty, "no batches to merge")
        guard batches.count > 1 else { return batches[batches.startIndex] }
        precondition(batches.dropFirst().allSatisfy(\.erasures.isEmpty), "only the first batch may begin with erasures")
        var merged = Batch(generation: batches[batches.endIndex - 1].generation)
        merged.erasures = batches[batches.startIndex].erasures
        merged.counters.reserveCapacity(batches.reduce(0) { $0 + $1.counters.count })
        for batch in batches {
            for (key, delta) in batch.counters { merged.counters.add(delta, at: key) }
            merged.shares += batch.shares
            merged.visitors += batch.visitors
            merged.oldestPairTime = min(merged.oldestPairTime, batch.oldestPairTime)
            merged.sources.merge(batch.sources) { _, later in later }
            merged.events += batch.events
        }
        return merged
    }

    /// The batch without its encoded effects (for a copy that outlives the journaling).
    public var withoutEffects: Batch {
        var copy = self
        copy.effects = ByteWriter()
        return copy
    }

    /// The batch with its effects encoded again from what it holds (for one kept `withoutEffects`
    /// that must be journaled again), its erasures sealed with `key`. Its records are independent
    /// of one another, so their order is the only thing that differs.
    public func encodedAgain(sealingWith key: VisitorKey) -> Batch {
        var copy = Batch(generation: generation)
        for erasure in erasures { copy.add(SealedErasure(erasure, key: key)) }
        for (key, delta) in counters { copy.add(delta, at: key) }
        for share in shares { copy.add(share) }
        for pair in visitors { copy.add(pair) }
        copy.sources = sources
        copy.events = events
        return copy
    }
}

/// A share as recorded: who, where, what tier, and when.
public struct ShareRecord: Sendable, Equatable {
    public var token: String
    public var attributes: ShareAttributes
    public var tier: Tier
    /// Event time, seconds since the epoch.
    public var time: Int64

    public init(token: String, attributes: ShareAttributes, tier: Tier, time: Int64) {
        self.token = token
        self.attributes = attributes
        self.tier = tier
        self.time = time
    }
}

/// A visitor's first click on a share: the visitor's keyed hash (`VisitorKey`), and the time of
/// that click (`visitor_retention` counts from it). It follows its click's counter delta in the batch.
public struct VisitorPair: Sendable, Equatable {
    public var token: String
    public var visitor: UInt64
    /// Seconds since the epoch.
    public var time: Int64
    /// Whether the store keeps it apart (in a row of its own) rather than in its click's counter
    /// row: a token's visitors after its first `TokenState.visitorsInRows` are kept apart.
    public var apart: Bool

    public init(token: String, visitor: UInt64, time: Int64, apart: Bool = false) {
        self.token = token
        self.visitor = visitor
        self.time = time
        self.apart = apart
    }

    /// The hour of the click: hours since the epoch.
    public var hour: Int64 { time.hourBucket }

    /// The time of a pair stored before pairs kept their click's time (with its hour only): the
    /// last second of that hour, the latest it can have been, so that `visitor_retention` keeps it
    /// no shorter than the retention.
    public static func time(inHour hour: Int64) -> Int64 {
        hour * 3600 + 3599
    }
}

/// What the daemon knows of one producer.
public struct SourceState: Sendable, Equatable, Codable {
    public var highestSeq: UInt64 = 0
    /// Receive time of its last line, seconds since the epoch.
    public var lastSeen: Int64 = 0
    public var accepted: Int64 = 0
    public var rejected: Int64 = 0
    public var duplicates: Int64 = 0
    /// Test events (`"test": true`).
    public var test: Int64 = 0

    public init() {}

    /// One producer's state from those of two of its names (the two spellings of one source that
    /// a database kept apart before ids were kept in NFC, `CanonicalText`): the greater of each.
    /// Both are the same producer's running totals, written at different times: a daemon of then
    /// kept one state per producer, whose `String` keys find the two spellings equal.
    public func merged(with other: SourceState) -> SourceState {
        var state = self
        state.highestSeq = max(highestSeq, other.highestSeq)
        state.lastSeen = max(lastSeen, other.lastSeen)
        state.accepted = max(accepted, other.accepted)
        state.rejected = max(rejected, other.rejected)
        state.duplicates = max(duplicates, other.duplicates)
        state.test = max(test, other.test)
        return state
    }
}
