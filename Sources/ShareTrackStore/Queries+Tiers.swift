import ShareTrackCore

extension Queries {
    /// Rows per tier, in tier order. `everyTier`: a row for every tier, zeros included, with the
    /// number of distinct advocates; else only the tiers with counters.
    ///
    /// Over all time without an advocate filter (`countsStoredAdvocates`), the sums come from the
    /// cheapest rollup, and each tier's advocates are the stored ones (kept counted,
    /// `TierAdvocateCounts`, where the filter is one they keep, else counted,
    /// `QueryText.storedAdvocatesPerTier`) plus the live pairs no stored group has, instead of from
    /// one row per advocate and group. The live groups are then summed per tier (`LiveRows.Scope.tiers`),
    /// and only the pairs of the groups the tables are not known to hold are looked up among the
    /// stored groups, what was found remembered (`StoredPairs`).
    ///
    /// Where the stored groups are summed in memory (`Source.storedRange`), `live.grouped` is the
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
        guard everyTier, Self.countsStoredAdvocates(filter, source) else {
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
        for (group, counters) in live.grouped { sums[group.key.tier, default: Counters()].add(counters) }
        for pair in try newPairs(of: live.newGroups, filter) { advocates[pair.tier, default: 0] += 1 }
        let rows = sums.map { tier, counters in
            GroupRow(.tier, tier, advocates: advocates[tier] ?? 0, totals: CounterTotals(counters))
        }
        return GroupRow.tiers(rows, everyTier: true)
    }

    /// The (tier, advocate) pairs of `groups` (live ones the tables are not known to hold, which
    /// `filter` selects) that no stored group `filter` selects has, looked up in the tables and
    /// remembered (`StoredPairs`).
    func newPairs(of groups: Set<Int32>, _ filter: QueryFilter) throws -> [GroupKey] {
        let (pairSQL, pairValues) = Self.text.storedPair(filter)
        let storedPair = try database.prepare(pairSQL)
        try storedPair.bind(pairValues.map(\.statementValue))
        let (advocate, tier) = (Int32(pairValues.count + 1), Int32(pairValues.count + 2))
        return try live.storedPairs.newPairs(of: groups, under: filter, generation: live.generation,
                                             key: { live.attributions.groups[Int($0)] }) {
            try storedPair.bind($0.advocate, at: advocate)
            try storedPair.bind($0.tier, at: tier)
            return try storedPair.hasRow()
        }
    }

    /// Whether `tiers` counts each tier's advocates as the stored ones plus the live pairs no stored
    /// group has (see `tiers`): over all time, without an advocate, from the rollups.
    static func countsStoredAdvocates(_ filter: QueryFilter, _ source: Source) -> Bool {
        source != .raw && !filter.isRanged && filter.advocate == nil
    }
}
