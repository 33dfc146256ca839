import ShareTrackCore

/// The counters of the batches the tables do not hold yet, summed per hour and share group exactly
/// as `RollupWriter` will add them to the rollups when the batches are applied:
/// - a delta of a token whose share is stored goes to that share's group;
/// - a token whose share is in one of the batches gets, under that share's group, every delta the
///   batches hold for it and every counter row the tables hold for it (its stored orphans);
/// - a token shared nowhere yet is an orphan and is left out.
///
/// So the rollups plus these sums are what the rollups will be once the batches are applied.
struct LiveGroups {
    struct Key: Hashable {
        var hour: Int64
        /// A number from the `AttributionCache`.
        var group: Int32
    }

    private(set) var sums: [Key: Counters] = [:]

    /// - Parameters:
    ///   - batches: the unapplied batches, oldest first.
    ///   - tokens: only these tokens count (nil: all).
    ///   - storedCounters: a token's counter rows in the tables, as (hour, counters).
    init(_ batches: [Batch], tokens: ((String) -> Bool)?, cache: AttributionCache,
         storedCounters: (String) throws -> [(Int64, Counters)]) throws {
        var liveShares: [String: Int32] = [:]
        for batch in batches {
            for share in batch.shares where tokens?(share.token) ?? true {
                liveShares[share.token] = cache.group(GroupKey(share))
            }
        }
        for batch in batches {
            for (key, counters) in batch.counters where tokens?(key.token) ?? true {
                guard let group = try liveShares[key.token] ?? cache.group(ofStored: key.token) else { continue }
                sums[Key(hour: key.hour, group: group), default: Counters()].add(counters)
            }
        }
        for (token, group) in liveShares {
            for (hour, counters) in try storedCounters(token) {
                sums[Key(hour: hour, group: group), default: Counters()].add(counters)
            }
        }
    }
}
