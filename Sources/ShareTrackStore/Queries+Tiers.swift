import ShareTrackCore

extension Queries {
    /// Rows per tier, in tier order. `everyTier`: a row for every tier, zeros included, with the
    /// number of distinct advocates; else only the tiers with counters.
    ///
    /// Over all time without an advocate filter, the sums come from the cheapest rollup and each
    /// tier's advocates are counted in the group table (`QueryText.storedAdvocatesPerTier`) plus
    /// the live pairs it does not have, instead of from one row per advocate and group.
    func tiers(_ filter: QueryFilter, _ source: Source, everyTier: Bool) throws -> [GroupRow] {
        guard everyTier, source != .raw, filter.sinceHour == nil, filter.untilHour == nil, filter.advocate == nil else {
            return GroupRow.tiers(try groups(.tier, filter, source, countAdvocates: everyTier), everyTier: everyTier)
        }
        var advocates: [String: Int64] = [:]
        for (sql, values) in [Self.text.storedAdvocatesPerTier(filter)] + [Self.text.liveAdvocatesPerTier(filter)].compactMap({ $0 }) {
            for (tier, count) in try rows(sql, values, { ($0.string(0) ?? "", $0.int64(1)) }) {
                advocates[tier, default: 0] += count
            }
        }
        let rows = try groups(.tier, filter, source).map { row in
            GroupRow(.tier, row.name, advocates: advocates[row.name] ?? 0, totals: row.totals)
        }
        return GroupRow.tiers(rows, everyTier: true)
    }
}
