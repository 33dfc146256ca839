import ShareTrackCore

extension Queries {
    /// Stored rows read past `--limit` by the merged `top` (`topMerged`, `Queries.topDepth`), so
    /// that the live advocates outside them can be told apart by their live counters alone.
    static let defaultTopDepth = 256

    /// `top`. Over all time with at most a network and tier filter, while every advocate has one
    /// advocate group: from the first rows of the all-time advocate rollup in ranking order and the
    /// live advocates (`topMerged`, or `QueryText.topOfSingleGroups` for engagement); else every
    /// advocate's sums, ranked.
    /// The live groups are read from `live.grouped` (`LiveRows.fill()` puts them in `live_groups`
    /// for the SQL paths).
    func top(_ ranking: Ranking, limit: Int, _ filter: QueryFilter, _ source: Source) throws -> [GroupRow] {
        let single = try source != .raw && Self.readsAdvocateRows(filter) && singleGroups.hold(database: Store.meta("id", database))
        if single, let key = ranking.additiveKey, let merged = try topMerged(limit: limit, filter, ranking: ranking, key: key) {
            return merged
        }
        try live.fill()
        guard single else { return try groups(.advocate, filter, source, ranking: ranking, limit: limit) }
        let (sql, values) = Self.text.topOfSingleGroups(filter, ranking: ranking, limit: limit)
        return try rows(sql, values) { GroupRow(.advocate, row: $0) }
    }

    /// Whether `top` reads the all-time advocate rollup: no range, filtered by network and tier at most.
    private static func readsAdvocateRows(_ filter: QueryFilter) -> Bool {
        filter.sinceHour == nil && filter.untilHour == nil && filter.advocate == nil && filter.venue == nil
            && filter.campaign == nil
    }

    /// Whether `top` may answer without the live groups in `live_groups` (`topMerged`).
    static func mayMergeTop(_ ranking: Ranking, _ filter: QueryFilter) -> Bool {
        ranking.additiveKey != nil && readsAdvocateRows(filter)
    }

    /// `top` by an additive `key`, each rollup row being an advocate's whole stored total. Reads the
    /// first `limit + topDepth` rows in ranking order (ties by advocate), adds the live counters of
    /// those advocates, and takes `least`, the `limit`th highest of those totals. An advocate past
    /// those rows has a stored key of at most the last row's (`floor`), so it can rank only if it
    /// has live counters with `floor + key(live) >= least`: only those get their stored row read.
    /// Exact; nil when `floor` is not below `least` (ties that deep: the caller's SQL decides).
    private func topMerged(limit: Int, _ filter: QueryFilter, ranking: Ranking, key: (Counters) -> Int64) throws
        -> [GroupRow]?
    {
        var live: [String: Counters] = [:]
        for (group, counters) in self.live.grouped { live[group.key.advocate] = counters }
        let depth = limit + topDepth
        let (sql, values) = Self.text.rankedAdvocateRows(filter, ranking: ranking, limit: depth)
        let stored = try rows(sql, values) { ($0.string(0) ?? "", $0.counters(at: 1)) }
        var totals: [String: Counters] = [:]
        for (advocate, counters) in stored {
            totals[advocate] = counters
            if let more = live[advocate] { totals[advocate]?.add(more) }
        }
        var outside = live.filter { totals[$0.key] == nil }
        if stored.count == depth {
            let floor = key(stored[depth - 1].1)
            let least = totals.values.map(key).sorted(by: >)[limit - 1]
            guard floor < least else { return nil }
            outside = outside.filter { floor + key($0.value) >= least }
            let (rowSQL, rowValues) = Self.text.advocateRow(filter)
            for (advocate, counters) in outside {
                outside[advocate] = try rows(rowSQL, rowValues + [.text(advocate)]) { $0.counters(at: 0) }.first
                    .map { var total = $0; total.add(counters); return total } ?? counters
            }
        }
        totals.merge(outside) { $1 }
        let ranked = totals.sorted { a, b in
            let (x, y) = (key(a.value), key(b.value))
            return x != y ? x > y : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        return ranked.prefix(limit).map { GroupRow(.advocate, $0.key, totals: CounterTotals($0.value)) }
    }
}

extension Ranking {
    /// The sort key of counters, where the key of a sum is the sum of the keys (all but engagement).
    var additiveKey: ((Counters) -> Int64)? {
        switch self {
        case .clicks: { $0.clicks }
        case .uniqueClicks: { $0.uniqueClicks }
        case .shares: { $0.shares }
        case .reach: { $0.reach }
        case .conversions: { $0.conversions }
        case .value: { $0.value.thousandths }
        case .engagement: nil
        }
    }
}
