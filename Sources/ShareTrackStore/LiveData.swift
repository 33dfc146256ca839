import ShareTrackCore

/// What the daemon holds in memory that the database may not have yet.
public struct LiveData: Sendable {
    /// The pending and in-flight batches; a query skips those the database already holds.
    public var batches: [Batch]
    /// Every producer's current state (replaces the `sources` table).
    public var sources: [String: SourceState]

    public init(batches: [Batch], sources: [String: SourceState]) {
        self.batches = batches
        self.sources = sources
    }
}
