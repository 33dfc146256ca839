import ShareTrackCore

extension Queries {
    /// Rows per tier, in tier order. `everyTier`: a row for every tier, zeros included, with the
    /// number of distinct advocates; else only the tiers with counters.
    ///
    /// Over all time without an advocate filter, the sums come from the cheapest rollup, and each
    /// tier's advocates are the stored ones (kept counted, `TierAdvocateCounts`, where the filter
    /// is one they keep, else counted, `QueryText.storedAdvocatesPerTier`) plus the live pairs no
    /// stored group has, instead of from one row per advocate and group. The live groups are then
    /// read from `live.grouped` (one per tier and advocate) rather than put in `live_groups`: their
    /// sums are added per tier here, and each pair is looked up among the stored groups.
    ///
    /// Where the stored groups are summed in memory (`Source.storedExtent`), `live.grouped` is the
    /// whole answer, one group per tier and advocate.
    func tiers(_ filter: QueryFilter, _ source: Source, everyTier: Bool) throws -> [GroupRow] {
        if live.groupedAll {
            var sums: [String: (advocates: Int64, counters: Counters)] = [:]
            for (group, counters) in live.grouped {
                sums[group.key.tier, default: (0, Counters())].advocates += 1
                sums[group.key.tier]?.counters.add(counters)
            }
            return GroupRow.tiers(sums.map { GroupRow(.tier, $0, advocates: $1.advocates, totals: CounterTotals($1.counters)) },
                                  everyTier: true)
        }
        guard everyTier, source != .raw, filter.sinceHour == nil, filter.untilHour == nil, filter.advocate == nil else {
            try live.fill()
            return GroupRow.tiers(try groups(.tier, filter, source, countAdvocates: everyTier), everyTier: everyTier)
        }
        let stored = { (filter: QueryFilter) in
            let (sql, values) = Self.text.storedAdvocatesPerTier(filter)
            return Dictionary(uniqueKeysWithValues: try self.rows(sql, values) { ($0.string(0) ?? "", $0.int64(1)) })
        }
        var advocates = try tierAdvocates.first { $0.answers(filter) }
            .map { try $0.perTier(filter, database: Store.meta("id", database), counting: stored) } ?? stored(filter)
        let (from, values) = source.sql(filter, columns: ["tier"], Self.text)
        var sums = Dictionary(uniqueKeysWithValues: try rows(Self.text.groups("tier", from: from, countAdvocates: false), values) {
            ($0.string(0) ?? "", $0.counters(at: 2))
        })
        let (pairSQL, pairValues) = Self.text.storedPair(filter)
        let storedPair = try database.prepare(pairSQL)
        for (group, counters) in live.grouped {
            sums[group.key.tier, default: Counters()].add(counters)
            guard !group.hasStoredGroup else { continue }  // a stored group the filter selects has the pair
            try storedPair.bind((pairValues + [.text(group.key.advocate), .text(group.key.tier)]).map(\.statementValue))
            if try storedPair.rows({ _ in () }).isEmpty { advocates[group.key.tier, default: 0] += 1 }
        }
        let rows = sums.map { tier, counters in
            GroupRow(.tier, tier, advocates: advocates[tier] ?? 0, totals: CounterTotals(counters))
        }
        return GroupRow.tiers(rows, everyTier: true)
    }
}
