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
struct LiveGroups {
    struct Key: Hashable {
        var hour: Int64
        /// A number from the `AttributionCache`.
        var group: Int32
    }

    private(set) var sums: [Key: Counters] = [:]

    /// - Parameters:
    ///   - batch: the batch.
    ///   - earlier: the unapplied batches before it, oldest first.
    ///   - storedCounters: a token's counter rows in the tables, as (hour, counters).
    init(_ batch: Batch, after earlier: ArraySlice<Batch>, cache: AttributionCache,
         storedCounters: (String) throws -> [(Int64, Counters)]) throws {
        var own: [String: Int32] = [:]
        for share in batch.shares { own[share.token] = cache.group(GroupKey(share)) }
        // The tokens of the batch's deltas whose share is not in it: stored, earlier or orphans.
        var others: [String: Int32?] = [:]
        for key in batch.counters.keys where own[key.token] == nil {
            others[key.token] = .some(nil)
        }
        for previous in earlier {
            for share in previous.shares where others[share.token] != nil {
                others[share.token] = cache.group(GroupKey(share))
            }
            for (key, counters) in previous.counters {
                guard let group = own[key.token] else { continue }
                sums[Key(hour: key.hour, group: group), default: Counters()].add(counters)
            }
        }
        for (key, counters) in batch.counters {
            let group: Int32?
            if let ownGroup = own[key.token] {
                group = ownGroup
            } else if let earlierGroup = others[key.token] ?? nil {
                group = earlierGroup
            } else {
                group = try cache.group(ofStored: key.token)
            }
            guard let group else { continue }
            sums[Key(hour: key.hour, group: group), default: Counters()].add(counters)
        }
        for (token, group) in own {
            for (hour, counters) in try storedCounters(token) {
                sums[Key(hour: hour, group: group), default: Counters()].add(counters)
            }
        }
    }
}
