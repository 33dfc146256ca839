import ShareTrackCore

/// What the daemon holds in memory that the database may not have yet.
public struct LiveData: Sendable {
    /// The batches not applied to the tables (journaled, in flight, pending); a query skips those
    /// the tables hold by the time it reads them.
    public var batches: [Batch]
    /// Every producer's current state (replaces the `sources` table).
    public var sources: [String: SourceState]

    public init(batches: [Batch], sources: [String: SourceState]) {
        self.batches = batches
        self.sources = sources
    }
}
