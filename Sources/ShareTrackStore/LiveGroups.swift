import ShareTrackCore

/// What one batch the tables do not hold yet will add to the rollups when it is applied, summed
/// per hour and share group exactly as `RollupWriter` will add it:
/// - a delta of a token whose share is stored, or in an earlier batch, goes to that share's group;
/// - a share in the batch brings, under its group, every counter row its token has by then: the
///   rows the tables hold (its stored orphans), the earlier batches' deltas (orphans when those
///   are applied) and the batch's own deltas;
/// - a token shared nowhere yet is an orphan and is left out.
///
/// This depends only on the batch, the earlier batches and the tables, which together do not
/// change as the earlier batches are applied (their rows move into the tables), so it is computed
/// once per batch; the rollups plus every unapplied batch's groups are what the rollups will be
/// once the batches are applied. The batch's records may be added in any order, a few at a time
/// (`PendingGroups`): at every point the sums are those of the records added so far.
///
/// A token is shared once, so an earlier delta of a token shared in this batch was an orphan in its
/// own batch: only the earlier batches' `orphans` of a share's token are read for it, not all their
/// deltas (one lookup per delta of every waiting batch, made again for every answer;
/// docs/benchmarks.md, round 11).
struct LiveGroups {
    struct Key: Hashable {
        var hour: Int64
        /// A number from the `AttributionCache`.
        var group: Int32
    }

    /// What adding a batch's records reads besides the batch.
    struct Context {
        /// The groups of the unapplied batches before the batch.
        var earlier: [LiveGroups]
        /// The group of each share in `earlier` (as it was made: the shares stay in those groups
        /// when their batches are applied).
        let earlierShares: [String: Int32]
        let cache: AttributionCache
        /// A token's counter rows in the tables, as (hour, counters).
        let storedCounters: (String) throws -> [(Int64, Counters)]

        init(after earlier: [LiveGroups], cache: AttributionCache,
             storedCounters: @escaping (String) throws -> [(Int64, Counters)]) {
            self.earlier = earlier
            var shares: [String: Int32] = [:]
            shares.reserveCapacity(earlier.reduce(0) { $0 + $1.shareGroups.count })
            for previous in earlier { shares.merge(previous.shareGroups) { first, _ in first } }
            earlierShares = shares
            self.cache = cache
            self.storedCounters = storedCounters
        }
    }

    private(set) var sums: [Key: Counters] = [:]
    /// The batch's deltas of tokens shared nowhere yet (left out of `sums`), by token.
    private(set) var orphans: [String: OrphanRows] = [:]
    /// The group of each share in the batch, by token.
    private(set) var shareGroups: [String: Int32] = [:]

    /// The groups of no records yet.
    init() {}

    /// The groups of `batch`.
    init(_ batch: Batch, _ context: Context) throws {
        // Sized at once: growing these a doubling at a time was a third of the batch's time.
        sums.reserveCapacity(batch.counters.count)
        shareGroups.reserveCapacity(batch.shares.count)
        for share in batch.shares { try add(share, context) }
        for (key, counters) in batch.counters { try add(counters, at: key, context) }
    }

    /// Adds a share: its group, and every counter row its token has by then.
    mutating func add(_ share: ShareRecord, _ context: Context) throws {
        let group = context.cache.group(GroupKey(share))
        shareGroups[share.token] = group
        func add(_ hour: Int64, _ counters: Counters) {
            sums[Key(hour: hour, group: group), default: Counters()].add(counters)
        }
        orphans.removeValue(forKey: share.token)?.forEach(add)
        for previous in context.earlier { previous.orphans[share.token]?.forEach(add) }
        for (hour, counters) in try context.storedCounters(share.token) { add(hour, counters) }
    }

    /// Adds a counter delta: to its share's group, or to the orphans while its token is shared
    /// nowhere.
    mutating func add(_ delta: Counters, at key: CounterKey, _ context: Context) throws {
        // A token is shared once, so the first of these that knows it has its group; most deltas
        // are of stored shares the cache knows: one lookup.
        guard let group = try context.cache.knownGroup(ofStored: key.token) ?? shareGroups[key.token]
            ?? context.earlierShares[key.token] ?? context.cache.group(ofStored: key.token)
        else {
            // nil when the token has no orphan rows yet.
            if orphans[key.token]?.add(delta, at: key.hour) == nil { orphans[key.token] = OrphanRows(delta, at: key.hour) }
            return
        }
        sums[Key(hour: key.hour, group: group), default: Counters()].add(delta)
    }
}
