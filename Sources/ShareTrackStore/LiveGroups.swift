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
/// once the batches are applied.
///
/// A token is shared once, so an earlier delta of a token shared in this batch was an orphan in its
/// own batch: only the earlier batches' `orphans` are read for the shares' deltas, not all their
/// deltas (one lookup per delta of every waiting batch, made again for every answer;
/// docs/benchmarks.md, round 11).
struct LiveGroups {
    struct Key: Hashable {
        var hour: Int64
        /// A number from the `AttributionCache`.
        var group: Int32
    }

    private(set) var sums: [Key: Counters] = [:]
    /// The batch's deltas of tokens shared nowhere yet (left out of `sums`).
    private(set) var orphans: [CounterKey: Counters] = [:]
    /// The group of each share in the batch, by token.
    private(set) var shareGroups: [String: Int32] = [:]

    /// - Parameters:
    ///   - batch: the batch.
    ///   - earlier: the groups of the unapplied batches before it.
    ///   - storedCounters: a token's counter rows in the tables, as (hour, counters).
    init(_ batch: Batch, after earlier: some Sequence<LiveGroups>, cache: AttributionCache,
         storedCounters: (String) throws -> [(Int64, Counters)]) throws {
        // Sized at once: growing these a doubling at a time was a third of the batch's time.
        sums.reserveCapacity(batch.counters.count)
        shareGroups.reserveCapacity(batch.shares.count)
        for share in batch.shares { shareGroups[share.token] = cache.group(GroupKey(share)) }
        var earlierShares: [String: Int32] = [:]
        earlierShares.reserveCapacity(earlier.reduce(0) { $0 + $1.shareGroups.count })
        for previous in earlier {
            earlierShares.merge(previous.shareGroups) { first, _ in first }
            for (key, counters) in previous.orphans {
                guard let group = shareGroups[key.token] else { continue }
                sums[Key(hour: key.hour, group: group), default: Counters()].add(counters)
            }
        }
        // A token is shared once, so the first of these that knows it has its group; most deltas
        // are of stored shares the cache knows: one lookup.
        for (key, counters) in batch.counters {
            guard let group = try cache.knownGroup(ofStored: key.token) ?? shareGroups[key.token]
                ?? earlierShares[key.token] ?? cache.group(ofStored: key.token)
            else {
                orphans[key] = counters
                continue
            }
            sums[Key(hour: key.hour, group: group), default: Counters()].add(counters)
        }
        for (token, group) in shareGroups {
            for (hour, counters) in try storedCounters(token) {
                sums[Key(hour: hour, group: group), default: Counters()].add(counters)
            }
        }
    }
}
