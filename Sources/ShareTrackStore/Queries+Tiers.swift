import ShareTrackCore

extension Queries {
    /// Rows per tier, in tier order. `everyTier`: a row for every tier, zeros included, with the
    /// number of distinct advocates; else only the tiers with counters.
    ///
    /// Over all time without an advocate filter, the sums come from the cheapest rollup, and each
    /// tier's advocates are the stored ones (kept counted, `TierAdvocateCounts`, where the filter
    /// is one they keep, else counted, `QueryText.storedAdvocatesPerTier`) plus the live pairs no
    /// stored group has, instead of from one row per advocate and group.
    func tiers(_ filter: QueryFilter, _ source: Source, everyTier: Bool) throws -> [GroupRow] {
        guard everyTier, source != .raw, filter.sinceHour == nil, filter.untilHour == nil, filter.advocate == nil else {
            return GroupRow.tiers(try groups(.tier, filter, source, countAdvocates: everyTier), everyTier: everyTier)
        }
        let perTier = { (query: (sql: String, values: [SQLValue])) in
            try self.rows(query.sql, query.values) { ($0.string(0) ?? "", $0.int64(1)) }
        }
        let stored = { (filter: QueryFilter) in
            Dictionary(uniqueKeysWithValues: try perTier(Self.text.storedAdvocatesPerTier(filter)))
        }
        var advocates = try tierAdvocates.first { $0.answers(filter) }
            .map { try $0.perTier(filter, database: Store.meta("id", database), counting: stored) } ?? stored(filter)
        for (tier, count) in try Self.text.liveAdvocatesPerTier(filter).map(perTier) ?? [] {
            advocates[tier, default: 0] += count
        }
        let rows = try groups(.tier, filter, source).map { row in
            GroupRow(.tier, row.name, advocates: advocates[row.name] ?? 0, totals: row.totals)
        }
        return GroupRow.tiers(rows, everyTier: true)
    }
}
