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
    /// What the batch before it gained after the query engine last looked at it, while it was the
    /// pending batch (`Queries.pendingSeen`), if that batch has been flushed since.
    public var flushedEffects: PendingEffects?

    public init(batches: [Batch]) {
        self.batches = batches
    }

    /// The daemon's: `batches`, the last of them `pending`, and `flushed`, the batch flushed before
    /// it with its records (`Batch.effects`), if kept; for a query engine whose sums of the pending
    /// batch stand at `seen` (`Queries.pendingSeen`).
    public init(batches: [Batch], pending: Batch, flushed: Batch?, after seen: PendingEffects.Position?) {
        self.batches = batches
        pendingEffects = PendingEffects(of: pending, after: seen)
        flushedEffects = flushed.flatMap { $0.generation == seen?.generation ? PendingEffects(of: $0, after: seen) : nil }
    }
}
