/// The outcome of one flush, for `status`, `sharectl flush` and the logs.
public struct FlushReport: Sendable, Codable, Equatable {
    /// Wall-clock time the flush finished, seconds since the epoch.
    public var time: Double
    public var durationSeconds: Double
    public var generation: UInt64
    public var events: Int
    public var rows: Int
    /// Why the transaction failed; its batch stays in memory and is written by the next flush.
    public var error: String?

    public init(time: Double, durationSeconds: Double, generation: UInt64, events: Int, rows: Int, error: String?) {
        self.time = time
        self.durationSeconds = durationSeconds
        self.generation = generation
        self.events = events
        self.rows = rows
        self.error = error
    }
}
