/// The outcome of one flush, for `status`, `sharectl flush` and the logs.
///
/// A flush makes the pending batch durable (the store's journal) and then applies every durable
/// batch to the tables; `durationSeconds` is the first step (what an `ack: commit` answer waits
/// for), `applySeconds` the second.
public struct FlushReport: Sendable, Codable, Equatable {
    /// Wall-clock time the flush finished, seconds since the epoch.
    public var time: Double
    public var durationSeconds: Double
    public var applySeconds: Double
    /// The batch made durable (or, if none was pending, the last one applied).
    public var generation: UInt64
    public var events: Int
    public var rows: Int
    /// Why a transaction failed: a batch not made durable stays in memory and is written by the
    /// next flush; a batch not applied stays in the journal and is applied by the next flush.
    public var error: String?

    public init(time: Double, durationSeconds: Double, applySeconds: Double = 0, generation: UInt64, events: Int,
                rows: Int, error: String?) {
        self.time = time
        self.durationSeconds = durationSeconds
        self.applySeconds = applySeconds
        self.generation = generation
        self.events = events
        self.rows = rows
        self.error = error
    }
}
