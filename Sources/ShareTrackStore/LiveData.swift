import ShareTrackCore

/// What the daemon holds in memory that the database may not have yet.
public struct LiveData: Sendable {
    /// The batches not applied to the tables (journaled, in flight, pending), oldest first; a query
    /// skips those the tables hold by the time it reads them. Their `sources` are the producers'
    /// states that the `sources` table does not show yet. Every batch but the last is final (the
    /// last may be the daemon's pending batch, which grows until it is journaled): queries keep
    /// what they compute from the others until those are applied.
    public var batches: [Batch]
    /// What the last batch, the daemon's pending one, gained since the query engine last looked
    /// (`Queries.pendingSeen`); nil: the query engine sums the last batch whole.
    public var pendingEffects: PendingEffects?

    public init(batches: [Batch], pendingEffects: PendingEffects? = nil) {
        self.batches = batches
        self.pendingEffects = pendingEffects
    }
}
