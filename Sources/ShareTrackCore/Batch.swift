/// Everything ingested between two flushes: counter deltas and new rows, written in one transaction.
///
/// A batch is numbered by its `generation`; the store records the last committed generation in the
/// same transaction, so a reader can tell which in-memory batches its database snapshot already holds.
///
/// Counter deltas, shares and visitor pairs are recorded through `add`, which also appends each to
/// `effects`, the batch's journal record (`BatchCodec`): encoding happens a line at a time as the
/// batch fills, so making it durable is only a write.
public struct Batch: Sendable {
    public let generation: UInt64
    public private(set) var counters: [CounterKey: Counters] = [:]
    public private(set) var shares: [ShareRecord] = []
    public private(set) var visitors = VisitorPairs()
    /// The full state of every producer this batch touched.
    public var sources: [String: SourceState] = [:]
    /// Lines this batch acknowledges (accepted and duplicate).
    public var events = 0
    /// Every `add` so far, encoded (`BatchCodec`); emptied once the journal holds them.
    public internal(set) var effects = _ByteWriter()

    public init(generation: UInt64) {
        self.generation = generation
    }

    /// A batch with room for as much as `previous` held: each of its tables is then allocated once,
    /// instead of doubling its way up (every step a fresh block of pages to fault in and a copy).
    init(generation: UInt64, sizedLike previous: Batch) {
        self.generation = generation
        counters.reserveCapacity(previous.counters.count)
        shares.reserveCapacity(previous.shares.count)
        visitors.reserveCapacity(like: previous.visitors)
        effects.reserveCapacity(previous.effects.bytes.count)
    }

    public var isEmpty: Bool { events == 0 && sources.isEmpty }

    /// Rows the flush writes.
    public var rowCount: Int { counters.count + shares.count + visitors.count + sources.count }

    public mutating func add(_ delta: Counters, at key: CounterKey) {
        counters[key, default: Counters()].add(delta)
        BatchCodec.encode(delta, at: key, into: &effects)
    }

    public mutating func add(_ share: ShareRecord) {
        shares.append(share)
        BatchCodec.encode(share, into: &effects)
    }

    public mutating func add(_ pair: VisitorPair) {
        visitors.append(pair)
        BatchCodec.encode(pair, into: &effects)
    }

    /// The batch without its encoded effects (for a copy that outlives the journaling).
    public var withoutEffects: Batch {
        var copy = self
        copy.effects = _ByteWriter()
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

/// A visitor's first click on a share.
public struct VisitorPair: Sendable, Equatable {
    public var token: String
    public var visitor: String

    public init(token: String, visitor: String) {
        self.token = token
        self.visitor = visitor
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

    public init() {}
}
