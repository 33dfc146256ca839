/// Everything ingested between two flushes: counter deltas and new rows, written in one transaction.
///
/// A batch is numbered by its `generation`; the store records the last committed generation in the
/// same transaction, so a reader can tell which in-memory batches its database snapshot already holds.
public struct Batch: Sendable {
    public let generation: UInt64
    public var counters: [CounterKey: Counters] = [:]
    public var shares: [ShareRecord] = []
    public var visitors: [VisitorPair] = []
    /// The full state of every producer this batch touched.
    public var sources: [String: SourceState] = [:]
    /// Lines this batch acknowledges (accepted and duplicate).
    public var events = 0

    public init(generation: UInt64) {
        self.generation = generation
    }

    public var isEmpty: Bool { events == 0 && sources.isEmpty }

    /// Rows the flush writes.
    public var rowCount: Int { counters.count + shares.count + visitors.count + sources.count }
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
