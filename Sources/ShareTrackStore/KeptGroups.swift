import ShareTrackCore

/// The groups of the live batches that cannot change any more (every batch but the last, which may
/// be the daemon's pending batch, still growing), each computed once (`LiveGroups`) and summed into
/// one running total as it is kept, until it is applied: an answer then adds that total and the
/// last batch's groups, however many batches wait to be applied.
struct KeptGroups {
    private var byGeneration: [UInt64: LiveGroups] = [:]
    /// The sum of every kept batch's groups.
    private(set) var total: [LiveGroups.Key: Counters] = [:]

    /// The groups of the batch of `generation`, if kept.
    subscript(generation: UInt64) -> LiveGroups? {
        byGeneration[generation]
    }

    /// Keeps a batch's groups, and adds them to the total.
    mutating func keep(_ groups: LiveGroups, generation: UInt64) {
        byGeneration[generation] = groups
        for (key, counters) in groups.sums { total[key, default: Counters()].add(counters) }
    }

    /// Forgets the batches whose generation is not in `unapplied` (the tables hold them now), and
    /// sums the total again from the rest (about once per flush interval). Returns the forgotten
    /// batches' groups, by generation.
    mutating func retain(_ unapplied: Set<UInt64>) -> [UInt64: LiveGroups] {
        guard byGeneration.keys.contains(where: { !unapplied.contains($0) }) else { return [:] }
        let kept = byGeneration.filter { unapplied.contains($0.key) }
        let applied = byGeneration.filter { !unapplied.contains($0.key) }
        removeAll()
        for (generation, groups) in kept { keep(groups, generation: generation) }
        return applied
    }

    /// The groups of every batch after generation `kept` through `generation`, oldest first, if
    /// `applied` (what `retain` handed over) holds each of them: what the tables gained since they
    /// held `kept`.
    static func batches(after kept: UInt64, through generation: UInt64, in applied: [UInt64: LiveGroups])
        -> [LiveGroups]?
    {
        guard generation >= kept, UInt64(applied.count) >= generation - kept else { return nil }
        let batches = (kept + 1..<generation + 1).compactMap { applied[$0] }
        return batches.count == generation - kept ? batches : nil
    }

    mutating func removeAll() {
        byGeneration.removeAll()
        total.removeAll()
    }
}
