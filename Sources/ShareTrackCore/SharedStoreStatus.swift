/// The shared store part of `status`: how far this node's shipping is.
public struct SharedStoreStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Shipping keeps up: nothing committed more than a few seconds ago waits.
        case ok
        /// Shipping works, but older batches wait (catching up).
        case behind
        /// The last attempt failed: retried with backoff, or stopped on a permanent error (see
        /// `lastError`).
        case failing
    }

    public var state: State
    public var node: String
    /// The last generation the shared store holds of this node (0: none yet).
    public var shippedGeneration: UInt64
    public var backlogBatches: Int
    public var backlogEvents: Int
    public var oldestBacklogSeconds: Double
    public var lastError: String?
    /// The store's rollups being summed in steps after a migration (its schema version 8), as this
    /// node last saw them; absent once none is (answers over the store stay exact meanwhile).
    public var rollupsBuilding: [String]?

    public init(state: State, node: String, shippedGeneration: UInt64, backlogBatches: Int, backlogEvents: Int,
                oldestBacklogSeconds: Double, lastError: String?, rollupsBuilding: [String]? = nil) {
        self.state = state
        self.node = node
        self.shippedGeneration = shippedGeneration
        self.backlogBatches = backlogBatches
        self.backlogEvents = backlogEvents
        self.oldestBacklogSeconds = oldestBacklogSeconds
        self.lastError = lastError
        self.rollupsBuilding = rollupsBuilding
    }

    private enum CodingKeys: String, CodingKey {
        case state, node, shippedGeneration, backlogBatches, backlogEvents, oldestBacklogSeconds, lastError, rollupsBuilding
    }

    /// As synthesized, but `last_error` is always there (`null` when shipping works).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(node, forKey: .node)
        try container.encode(shippedGeneration, forKey: .shippedGeneration)
        try container.encode(backlogBatches, forKey: .backlogBatches)
        try container.encode(backlogEvents, forKey: .backlogEvents)
        try container.encode(oldestBacklogSeconds, forKey: .oldestBacklogSeconds)
        try container.encode(lastError, forKey: .lastError)
        try container.encodeIfPresent(rollupsBuilding, forKey: .rollupsBuilding)
    }
}
