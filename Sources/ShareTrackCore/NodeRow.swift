/// One node of a shared store, as `sharectl nodes` lists it.
///
/// In JSON the times are RFC 3339 (UTC), as everywhere else in the answers:
/// `{"node":"venue-a","generation":1234,"batch_time":"2026-11-30T20:15:00Z","shipped_at":...,"events":400000,"behind_seconds":3.1}`.
public struct NodeRow: Codable, Sendable, Equatable {
    public var node: String
    /// The last batch the store holds of it: its generation, and when the node committed it
    /// (seconds since the epoch, the node's clock).
    public var generation: UInt64
    public var batchTime: Int64
    /// When the store took that batch (seconds since the epoch, the store's clock).
    public var shippedAt: Int64
    /// Events (lines acknowledged) it has shipped in all.
    public var events: Int64
    /// How far behind it is: seconds since the store last held everything the node had (the node
    /// says so after each shipment that emptied its backlog, and every 30 s while idle).
    public var behindSeconds: Double

    public init(node: String, generation: UInt64, batchTime: Int64, shippedAt: Int64, events: Int64,
                behindSeconds: Double) {
        self.node = node
        self.generation = generation
        self.batchTime = batchTime
        self.shippedAt = shippedAt
        self.events = events
        self.behindSeconds = behindSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case node, generation, batchTime, shippedAt, events, behindSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let time = { (key: CodingKeys) throws -> Int64 in
            let text = try container.decode(String.self, forKey: key)
            guard let seconds = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return seconds
        }
        self.init(node: try container.decode(String.self, forKey: .node),
                  generation: try container.decode(UInt64.self, forKey: .generation),
                  batchTime: try time(.batchTime), shippedAt: try time(.shippedAt),
                  events: try container.decode(Int64.self, forKey: .events),
                  behindSeconds: try container.decode(Double.self, forKey: .behindSeconds))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(generation, forKey: .generation)
        try container.encode(RFC3339.format(batchTime), forKey: .batchTime)
        try container.encode(RFC3339.format(shippedAt), forKey: .shippedAt)
        try container.encode(events, forKey: .events)
        try container.encode((behindSeconds * 1000).rounded() / 1000, forKey: .behindSeconds)
    }
}
