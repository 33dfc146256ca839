/// The outcome of one flush, for `status`, `sharectl flush` and the logs.
///
/// A flush makes the pending batch durable (the store's journal) and then applies every durable
/// batch to the tables; `durationSeconds` is the first step (what an `ack: commit` answer waits
/// for), `applySeconds` the second (0 until it is applied; the batches of several flushes are
/// applied in one transaction, and each gets its share of its time by rows).
///
/// In JSON `time` is an RFC 3339 UTC time, to the second, like every time `sharectl --json` prints.
public struct FlushReport: Sendable, Codable, Equatable {
    /// Wall-clock time the flush finished, seconds since the epoch.
    public var time: Double
    public var durationSeconds: Double
    public var applySeconds: Double
    /// The batch made durable (or, if none was pending, the last one applied).
    public var generation: UInt64
    /// Events answered `ok` from the batch: accepted ones and duplicates (which count nothing).
    public var events: Int
    /// Every row written: counters, shares, visitors and producers.
    public var rows: Int
    /// Of `rows`, the producers (`source`s) whose highest seq or line counts changed; a batch of
    /// only duplicate or rejected lines from a producer writes these and nothing else.
    public var sources: Int
    /// Why a transaction failed: a batch not made durable stays in memory and is written by the
    /// next flush; a batch not applied stays in the journal and is applied by the next flush.
    public var error: String?

    public init(time: Double, durationSeconds: Double, applySeconds: Double = 0, generation: UInt64, events: Int,
                rows: Int, sources: Int = 0, error: String?) {
        self.time = time
        self.durationSeconds = durationSeconds
        self.applySeconds = applySeconds
        self.generation = generation
        self.events = events
        self.rows = rows
        self.sources = sources
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case time, durationSeconds, applySeconds, generation, events, rows, sources, error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .time)
        guard let time = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an RFC 3339 time")
        }
        self.init(time: Double(time), durationSeconds: try container.decode(Double.self, forKey: .durationSeconds),
                  applySeconds: try container.decode(Double.self, forKey: .applySeconds),
                  generation: try container.decode(UInt64.self, forKey: .generation),
                  events: try container.decode(Int.self, forKey: .events), rows: try container.decode(Int.self, forKey: .rows),
                  sources: try container.decode(Int.self, forKey: .sources),
                  error: try container.decodeIfPresent(String.self, forKey: .error))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RFC3339.format(Int64(time.rounded(.down))), forKey: .time)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(applySeconds, forKey: .applySeconds)
        try container.encode(generation, forKey: .generation)
        try container.encode(events, forKey: .events)
        try container.encode(rows, forKey: .rows)
        try container.encode(sources, forKey: .sources)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
