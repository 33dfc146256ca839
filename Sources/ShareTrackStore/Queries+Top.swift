import ShareTrackCore

extension Queries {
    /// Stored rows read past `--limit` by the merged `top` (`topMerged`, `Queries.topDepth`), so
    /// that the live advocates outside them can be told apart by their live counters alone.
    public static let defaultTopDepth = 256
    /// The largest `--limit` kept in order while reading (`first(_:of:by:)`).
    static let defaultKeptWhileReading = 256

    /// `top`. Over all time without a filter, once `rollup_advocate_totals` is built: every
    /// advocate's kept totals (`StoredAdvocates`) plus the live groups, ranked here. Over all time
    /// with a venue or a campaign alone, or at most a network and tier filter (or without one, if
    /// there are too many advocates to keep): from the first rows of the all-time rollup per
    /// advocate (`QueryText.advocateRollup`: one row per advocate without a filter, per advocate and
    /// venue with a venue, per advocate and campaign with a campaign, else per advocate, network
    /// and tier) in ranking order and the live advocates (`topMerged`; for engagement, while every
    /// advocate has one row there, its rows ranked in SQL and the live advocates' looked up:
    /// `topOfRankedRows`), once that rollup is built
    /// (`Source.reads`); else every advocate's sums, ranked. At a place with a network or a tier, by
    /// an additive ranking: first from the rows of a rollup that bounds each advocate's total
    /// (`QueryText.bounds(of:limit:over:)`, each in turn), where they decide; then (and by
    /// engagement, which no rows bound) from the place's rows of the filter's advocates, exact but
    /// for the advocates looked up (`topOfPlaceRows`), where they serve; else, there and at a
    /// venue in a campaign, the filter's share groups summed per advocate here (`topOfEveryRow`).
    /// The live groups are read from `live.grouped` (`LiveRows.fill()` puts them in `live_groups`
    /// for the SQL paths). Where the stored groups are summed in memory (a range read hour by
    /// hour: `Source.storedRange`), `live.grouped` is the whole answer.
    func top(_ ranking: Ranking, limit: Int, _ filter: QueryFilter, _ source: Source) throws -> [GroupRow] {
        if live.groupedAll {
            return first(limit, of: live.grouped.lazy.map { (key: $0.key.advocate, value: $1) }, by: ranking)
        }
        if let totals = live.advocateTotals {
            let (stored, newcomers) = totals.adding(live.grouped)
            return first(limit, of: ranked(limit, of: stored, by: ranking) + newcomers, by: ranking)
        }
        if let key = ranking.additiveKey {
            // Rows as they are only where each is an advocate's whole total there.
            for bounds in Self.text.bounds(of: filter, limit: limit, over: source)
            where try bounds.summed || mostRows(bounds.filter) == 1 {
                if let merged = try topMerged(limit: limit, filter, bounds: bounds, ranking: ranking, key: key, most: 1) {
                    return merged
                }
            }
        }
        let most = try QueryText.readsAdvocateRows(filter) && source.reads(QueryText.advocateRollup(filter))
            ? mostRows(filter) : nil
        if let most, let key = ranking.additiveKey,
           let merged = try topMerged(limit: limit, filter, ranking: ranking, key: key, most: most)
        {
            return merged
        }
        if let most, most <= 1, ranking.additiveKey == nil, !live.grouped.isEmpty {
            return try topOfRankedRows(limit: limit, filter, among: nil, mixed: [], under: filter, ranking: ranking)
        }
        if most == nil, Self.mayMergeTop(filter), source.reads(QueryText.advocateRollup(filter)) {
            if let answer = try topOfPlaceRows(limit: limit, filter, ranking: ranking, source) { return answer }
            return try topOfEveryRow(limit: limit, filter, ranking: ranking)
        }
        try live.fill()
        guard let most, most <= 1 else { return try groups(.advocate, filter, source, ranking: ranking, limit: limit) }
        let (sql, values) = Self.text.topOfSingleGroups(filter, ranking: ranking, limit: limit)
        return try rows(sql, values) { GroupRow(.advocate, row: $0) }
    }

    /// Whether `top` may answer without the live groups in `live_groups` (`topMerged`,
    /// `topOfEveryRow`): over all time, without an advocate.
    static func mayMergeTop(_ filter: QueryFilter) -> Bool {
        filter.advocate == nil && !filter.isRanged
    }

    /// The most rows one advocate has in the all-time advocate rollup `filter` reads
    /// (`QueryText.advocateRollup`).
    private func mostRows(_ filter: QueryFilter) throws -> Int64 {
        try QueryText.readsOneRowPerAdvocate(filter) ? 1 : advocateGroups.most()
    }

    /// `top` at a place with a network or a tier, by engagement (which no rows bound) or where the
    /// rows that bound the answer did not decide (advocates with several tiers or networks there
    /// ranking first by the others, round 35's live ingest in docs/benchmarks.md):
    /// the place's rows of the advocates with a share group under `filter` (`QueryText.Bounds.among`),
    /// ranked in SQL. Each is its advocate's total under `filter`, unless the advocate has several
    /// networks where the filter names one, or several tiers where it names a tier
    /// (`AdvocateGroupCount.mixed(under:)`): those have their totals looked up under `filter`
    /// instead, the live advocates their rows among the place's (one statement for all), and the
    /// rows read are as many more. Nil where the place's rows do not serve
    /// (`QueryText.bounds(of:limit:over:)`) or too many advocates are mixed. At 2M shares, a
    /// campaign's nano tier: 112 ms summing its 58,000 groups (`topOfEveryRow`), 37 ms ranking its
    /// 40,956 advocates' rows (docs/benchmarks.md, round 36).
    func topOfPlaceRows(limit: Int, _ filter: QueryFilter, ranking: Ranking, _ source: Source) throws -> [GroupRow]? {
        guard let place = Self.text.bounds(of: filter, limit: limit, over: source).first(where: { $0.among != nil }),
              let mixed = try advocateGroups.mixed(under: filter)
        else { return nil }
        return try topOfRankedRows(limit: limit, place.filter, among: place.among, mixed: mixed, under: filter,
                                   ranking: ranking)
    }

    /// `top` from the rows of the all-time advocate rollup `rows` selects (of the advocates with a
    /// share group under `among`, if given), ranked in SQL, each its advocate's stored total under
    /// `filter` but those of `mixed`, whose totals are looked up (`storedTotals`). The live
    /// advocates' rows are read in one statement (their names one parameter, `QueryText.list`)
    /// and their live groups added; `mixed` and they are left out of the ranked rows, which read
    /// that many more past `limit`.
    private func topOfRankedRows(limit: Int, _ rows: QueryFilter, among: QueryFilter?, mixed: Set<String>,
                                 under filter: QueryFilter, ranking: Ranking) throws -> [GroupRow]
    {
        let live = Set(self.live.grouped.lazy.map(\.0.key.advocate)).subtracting(mixed)
        var totals = mixed.isEmpty ? [:] : try storedTotals(filter, of: mixed)
        if !live.isEmpty {
            let (sql, values) = Self.text.advocateRows(rows, among: among, listed: QueryText.list(live))
            for (advocate, counters) in try self.rows(sql, values, { $0.advocateCounters }) { totals[advocate] = counters }
        }
        let lookedUp = mixed.union(live)
        for (group, counters) in self.live.grouped { totals[group.key.advocate, default: Counters()].add(counters) }
        let (sql, values) = Self.text.rankedAdvocateRows(rows, ranking: ranking, limit: limit + lookedUp.count,
                                                         among: among)
        for (advocate, counters) in try self.rows(sql, values, { $0.advocateCounters }).lazy
            .filter({ !lookedUp.contains($0.0) }).prefix(limit) {
            totals[advocate] = counters
        }
        return first(limit, of: totals, by: ranking)
    }

    /// The stored totals under `filter` (all time) of `advocates`, from `filter`'s advocate rollup
    /// (`QueryText.advocateRow`); none for an advocate without a row there.
    private func storedTotals(_ filter: QueryFilter, of advocates: some Sequence<String>) throws -> [String: Counters] {
        let (sql, values) = Self.text.advocateRow(filter)
        let lookup = try database.prepare(sql)
        var found: [String: Counters] = [:]
        for advocate in advocates {
            try lookup.bind(values(advocate).map(\.statementValue))
            found[advocate] = try lookup.rows { $0.counters(at: 0) }.first
        }
        return found
    }

    /// `top` over all time from every row of the all-time advocate rollup `filter` selects, summed
    /// per advocate with the live groups and ranked here: at a place with a network or a tier, or
    /// at a venue in a campaign, where no rows that bound the answer decide, the place's share
    /// groups under the filter, which SQLite summed and grouped per advocate about a fifth slower
    /// (a campaign's nano tier, 58,462 groups: 157 → 127 ms; round 34).
    func topOfEveryRow(limit: Int, _ filter: QueryFilter, ranking: Ranking) throws -> [GroupRow] {
        let (sql, values) = Self.text.advocateRows(filter)
        var totals: [String: Counters] = [:]
        try statement(sql, values).forEachRow { row in
            let (advocate, counters) = row.advocateCounters
            totals[advocate, default: Counters()].add(counters)
        }
        for (group, counters) in live.grouped { totals[group.key.advocate, default: Counters()].add(counters) }
        return first(limit, of: totals, by: ranking)
    }

    /// The `limit` advocates of `totals` (one entry each) that rank highest by `ranking` (ties by
    /// advocate), in order. Up to `keptWhileReading` of them are kept in order as the totals are
    /// read (in no particular order, so most are passed over after one comparison); a larger
    /// `limit` sorts them all.
    func first(_ limit: Int, of totals: some Sequence<(key: String, value: Counters)>, by ranking: Ranking) -> [GroupRow] {
        ranked(limit, of: totals, by: ranking).map { GroupRow(.advocate, $0.key, totals: CounterTotals($0.value)) }
    }

    /// The entries of `first(_:of:by:)`, in order.
    func ranked(_ limit: Int, of totals: some Sequence<(key: String, value: Counters)>, by ranking: Ranking)
        -> [(key: String, value: Counters)]
    {
        let precedes = ranking.precedes
        var best: [(key: String, value: Counters)] = []
        if limit > keptWhileReading {
            best = totals.sorted(by: precedes)
        } else {
            for entry in totals where best.count < limit || precedes(entry, best[limit - 1]) {
                best.insert(entry, at: best.firstIndex { precedes(entry, $0) } ?? best.count)
                if best.count > limit { best.removeLast() }
            }
        }
        return Array(best.prefix(limit))
    }

    /// `top` by an additive `key` from the first `limit + topDepth` rows in ranking order of the
    /// all-time advocate rollup that `bounds` reads (by default `filter`'s own), where no advocate
    /// has more than `most` rows, and the live advocates (`TopMerge`); nil where those rows do not
    /// decide. `bounds` (`QueryText.bounds(of:limit:over:)`): rows that hold
    /// `filter`'s among others, one per advocate (for a place with a network or a tier, which no
    /// advocate rollup has rows for); each advocate read then has its total under `filter` looked up.
    func topMerged(limit: Int, _ filter: QueryFilter, bounds: QueryText.Bounds? = nil, ranking: Ranking,
                   key: @escaping (Counters) -> Int64, most: Int64) throws -> [GroupRow]?
    {
        let depth = TopMerge.depth(limit, topDepth: topDepth, filter)
        let (sql, values) = Self.text.rankedAdvocateRows(bounds?.filter ?? filter, ranking: ranking, limit: depth,
                                                         summed: bounds?.summed ?? false, among: bounds?.among)
        let stored = try rows(sql, values) { $0.advocateCounters }
        let merge = TopMerge(limit: limit, depth: depth, key: key, most: most,
                             rowsAreTotals: bounds == nil && (most == 1 || stored.count < depth))
        let live = self.live.grouped.lazy.map { (advocate: $0.0.key.advocate, counters: $0.1) }  // one per advocate
        let totals = try merge.totals(stored: stored, live: live) { try storedTotals(filter, of: $0) }
        return totals.map { first(limit, of: $0, by: ranking) }
    }
}

extension Ranking {
    /// The sort key of counters, where the key of a sum is the sum of the keys (all but engagement).
    public var additiveKey: ((Counters) -> Int64)? {
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

    /// Whether advocate `a` ranks above advocate `b` in `top` by their totals: by this ranking,
    /// then by name, bytewise (as `QueryText.groups` orders them).
    public func precedes(_ a: (key: String, value: Counters), _ b: (key: String, value: Counters)) -> Bool {
        ranks(a.value, above: b.value) ?? a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }

    /// Whether counters `a` rank above `b` (nil: alike), as `QueryText.sortKey` orders them.
    func ranks(_ a: Counters, above b: Counters) -> Bool? {
        func above<Key: Comparable>(_ x: Key, _ y: Key) -> Bool? { x == y ? nil : x > y }
        return additiveKey.map { key in above(key(a), key(b)) } ?? above(a.engagementRate, b.engagementRate)
    }
}
