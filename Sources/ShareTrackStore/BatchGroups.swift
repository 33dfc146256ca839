import ShareTrackCore

/// The groups of each batch the tables do not hold yet (`LiveGroups`), for `LiveRows`: every final
/// batch's made once and kept until it is applied (`KeptGroups`), and the daemon's pending batch's
/// kept between answers and advanced by what it gained since (`PendingGroups`).
final class BatchGroups {
    private let attributions: AttributionCache
    private let storedCounters: Statement
    /// The counter rows the tables hold for tokens shared in live batches (their orphans).
    private var storedRows = GenerationMemo<String, [(Int64, Counters)]>()
    private var kept = KeptGroups()
    /// The last batch's groups, if it is the daemon's pending batch, kept between answers.
    private var pending: PendingGroups?
    /// What the pending batch gained since `pending` was advanced, and what the batch `pending`
    /// was of gained before it was flushed, given to this load (`LiveData`).
    private var pendingEffects: PendingEffects?
    private var flushedEffects: PendingEffects?

    init(_ database: Database, attributions: AttributionCache) throws {
        self.attributions = attributions
        storedCounters = try database.prepare(
            "SELECT hour, \(Rows.counterNames.joined(separator: ", ")) FROM main.counters WHERE token = ?")
    }

    /// Where the kept groups of the daemon's pending batch stand.
    var pendingSeen: PendingEffects.Position? { pending?.seen }

    /// Starts a load over the tables at `generation` (the last batch they hold), with `batches` not
    /// held yet and what the daemon's pending batch gained (`LiveData`). Returns the kept groups of
    /// the batches the tables hold now, by generation, forgotten here.
    func start(_ batches: [Batch], generation: UInt64, effects: (pending: PendingEffects?, flushed: PendingEffects?))
        -> [UInt64: LiveGroups]
    {
        storedRows.see(generation)
        (pendingEffects, flushedEffects) = effects
        return kept.retain(Set(batches.map(\.generation)))
    }

    /// Forgets every group (the cache's numbers changed).
    func removeAll() {
        kept.removeAll()
        pending = nil
    }

    /// The groups of `batches` per (hour, group): the kept batches' total, and the last batch's.
    func parts(_ batches: [Batch]) throws -> [[LiveGroups.Key: Counters]] {
        let final = try keepFinal(batches.dropLast())
        guard let last = batches.last else { return [kept.total] }
        return [kept.total, try lastGroups(last, after: final).sums]
    }

    /// The groups of `batches`, oldest first, every one final (they do not change any more): each
    /// made once, and kept until it is applied.
    func keepFinal(_ batches: ArraySlice<Batch>) throws -> [LiveGroups] {
        var made: [LiveGroups] = []
        for batch in batches {
            let groups = try kept[batch.generation] ?? finalGroups(batch, after: made)
            if kept[batch.generation] == nil { kept.keep(groups, generation: batch.generation) }
            made.append(groups)
        }
        return made
    }

    /// What `batch` adds to the rollups after the unapplied batches `earlier`, made whole.
    func groups(of batch: Batch, after earlier: [LiveGroups]) throws -> LiveGroups {
        try LiveGroups(batch, context(after: earlier))
    }

    /// The groups of the last batch: if it is the daemon's pending batch, the kept ones advanced by
    /// what it gained (made from none if they were of another batch); else made whole.
    private func lastGroups(_ last: Batch, after final: [LiveGroups]) throws -> LiveGroups {
        guard let effects = pendingEffects, effects.start.generation == last.generation else {
            pending = nil
            return try groups(of: last, after: final)
        }
        if effects.start.offset == 0 {
            pending = PendingGroups(generation: last.generation, context(after: final))
        }
        guard var current = pending, current.seen == effects.start else {
            pending = nil
            return try groups(of: last, after: final)
        }
        // Taken out while it is advanced, so that it is not copied, and dropped if that fails.
        pending = nil
        try current.advance(by: effects, after: final)
        pending = current
        return current.groups
    }

    /// The groups of `batch`, final now: those kept of it while it was the daemon's pending batch,
    /// advanced by what it gained before it was flushed, if the daemon gave that; else made whole.
    private func finalGroups(_ batch: Batch, after earlier: [LiveGroups]) throws -> LiveGroups {
        guard var current = pending, let effects = flushedEffects, effects.start == current.seen,
              effects.start.generation == batch.generation
        else { return try groups(of: batch, after: earlier) }
        pending = nil
        try current.advance(by: effects, after: earlier)
        return current.groups
    }

    /// What adding a batch's records after `earlier` reads (`LiveGroups.Context`).
    private func context(after earlier: [LiveGroups]) -> LiveGroups.Context {
        LiveGroups.Context(after: earlier, cache: attributions) { [unowned self] token in
            if let rows = storedRows[token] { return rows }
            try storedCounters.bind(token, at: 1)
            let rows = try storedCounters.rows { ($0.int64(0), $0.counters(at: 1)) }
            storedRows[token] = rows
            return rows
        }
    }
}
