/// One node of a shared store, as `sharectl nodes` lists it.
public struct NodeRow: Codable, Sendable, Equatable {
    public var node: String
    /// The last batch the store holds of it: its generation, and when the node committed it
    /// (seconds since the epoch, the node's clock).
    public var generation: UInt64
    public var batchTime: Int64
    /// When the store took that batch (seconds since the epoch, the store's clock).
    public var shippedAt: Double
    /// Events (lines acknowledged) it has shipped in all.
    public var events: Int64
    /// How far behind it is: seconds since the store last held everything the node had (the node
    /// says so after each shipment that emptied its backlog, and every 30 s while idle).
    public var behindSeconds: Double

    public init(node: String, generation: UInt64, batchTime: Int64, shippedAt: Double, events: Int64,
                behindSeconds: Double) {
        self.node = node
        self.generation = generation
        self.batchTime = batchTime
        self.shippedAt = shippedAt
        self.events = events
        self.behindSeconds = behindSeconds
    }
}
