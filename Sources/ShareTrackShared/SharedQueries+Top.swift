import ShareTrackCore
import ShareTrackStore

extension SharedQueries {
    /// For `top` with a network or a tier alone, the advocates with several rows under it in the
    /// rollup it reads (`QueryText.advocatesWithSeveralRows`), which the answer sums apart: nil past
    /// `mostSummedApart`, or where there is nothing to find (or the sums do not read that rollup).
    func advocatesWithSeveralRows(_ filter: QueryFilter, over source: Source) throws -> QueryText.SeveralRows? {
        try summedApart(text.advocatesWithSeveralRows(filter, over: source, limit: Self.mostSummedApart + 1))
    }

    /// `top` at a place with a network or a tier: the place's rows of the advocates with a share
    /// group under `filter`, those with another share group there not under it summed apart
    /// (`QueryText.topOfPlaceRows`). Nil past `mostSummedApart` of those (then `topMerged`), or
    /// where the place's rows do not serve. Tried before `topMerged`, unlike the daemon: at
    /// 619,470 shares it answers every ranking in 24-98 ms, where `topMerged` answered clicks and
    /// value in a campaign 4-22 ms sooner, but `--by shares` or `--by reach` there, whose rows
    /// seldom decide, in 136-152 (then the place's rows); `--campaign --tier nano --by
    /// engagement`, which `topMerged` does not answer, 196 → 95 ms (docs/shared-store.md).
    func topOfPlaceRows(_ filter: QueryFilter, ranking: Ranking, limit: Int, over source: Source) throws -> [GroupRow]? {
        guard let mixed = try summedApart(text.advocatesMixedAtPlace(filter, over: source, limit: Self.mostSummedApart + 1)),
              let (sql, values) = text.topOfPlaceRows(filter, ranking: ranking, limit: limit, over: source, mixed: mixed)
        else { return nil }
        try connection.execute(Self.workMemAtLeast64MB)
        return try rows(sql, values) { GroupRow(.advocate, row: $0) }
    }

    /// The advocates `statement` finds to be summed apart from `top`'s ranked rows (the text of an
    /// array, how many, their rows), nil past `mostSummedApart` or without a statement.
    private func summedApart(_ statement: (sql: String, values: [SQLValue])?) throws -> QueryText.SeveralRows? {
        guard let (sql, values) = statement else { return nil }
        let several = try connection.query(sql, values.map(\.text))
        guard several.int64(0, 1) <= Self.mostSummedApart else { return nil }
        return QueryText.SeveralRows(advocates: several.string(0, 0) ?? "{}", rows: Int(several.int64(0, 2)))
    }

    /// `top` by an additive ranking at a place with a network or a tier where `topOfPlaceRows`
    /// does not answer (too many advocates mixed there), as the daemon answers it first
    /// (`Queries.topMerged`): the first rows in ranking order of the rollup that bounds each
    /// advocate's total there (`bounds(of:limit:over:)`), their advocates' totals under the filter (one
    /// statement for all), and the advocates of the rollup log's rows under the filter as the live
    /// ones (`TopMerge`). Nil where those rows do not decide.
    func topMerged(_ filter: QueryFilter, ranking: Ranking, limit: Int, over source: Source) throws -> [GroupRow]? {
        guard let key = ranking.additiveKey,
              let (liveSQL, liveValues) = text.liveAdvocates(filter),
              let bounds = try bounds(of: filter, limit: limit, over: source)
        else { return nil }
        let depth = TopMerge.depth(limit, topDepth: topDepth, filter)
        let (sql, values) = text.rankedAdvocateRows(bounds.filter, ranking: ranking, limit: depth, summed: bounds.summed,
                                                    among: bounds.among)
        let stored = try rows(sql, values) { $0.advocateCounters }
        let live = try rows(liveSQL, liveValues) { $0.advocateCounters }
        let (totalsSQL, totalsValues) = text.advocateTotals(filter)
        let merge = TopMerge(limit: limit, depth: depth, key: key, most: 1, rowsAreTotals: false)
        let totals = try merge.totals(stored: stored, live: live) { advocates in
            var array = ArrayText()
            for advocate in advocates { array.add(.text(advocate)) }
            return Dictionary(uniqueKeysWithValues: try rows(totalsSQL, totalsValues + [.text(array.literal)]) {
                $0.advocateCounters
            })
        }
        return totals?.sorted(by: ranking.precedes).prefix(limit).map {
            GroupRow(.advocate, $0.key, totals: CounterTotals($0.value))
        }
    }

    /// The rows that bound `top`'s advocates at a place with a network or a tier, the first of
    /// `QueryText.bounds(of:limit:over:)` it takes: as they are where no advocate has several
    /// (`advocatesWithSeveralRows` finds none), never summed: PostgreSQL sums every row of the
    /// network in a hash aggregate, 135-143 ms at 619,470 shares, where the campaign's rows, read
    /// alone by its index, took 84-86 ms.
    func bounds(of filter: QueryFilter, limit: Int, over source: Source) throws -> QueryText.Bounds? {
        try text.bounds(of: filter, limit: limit, over: source).first { bounds in
            try !bounds.summed && (QueryText.readsOneRowPerAdvocate(bounds.filter)
                                   || advocatesWithSeveralRows(bounds.filter, over: source)?.rows == 0)
        }
    }

    /// The most advocates `top` sums apart from its ranked rows for having several: 1,000 took
    /// `top --tier nano` from 94 to 110 ms at 100,000 advocates, where summing every advocate of
    /// the tier takes 280 ms, and 136 ms for a tier of 28,228 advocates (docs/shared-store.md).
    static let mostSummedApart = 1_000

    /// A `work_mem` of 64 MB at least, for the rest of the answer's transaction (a larger setting
    /// of the server, role or database is kept). For `top`'s bounded heap (`topOfSingleGroups`):
    /// room to hash one rollup row per advocate for the join with their groups (7 MB at 100,000
    /// advocates; only what the hash takes is used), which the default 4 MB spills to temporary
    /// files (about 45 ms of each such `top` at 100,000 advocates); and for the answers that hash
    /// every advocate of a range of days (`isLong`). Not for the answers that sum every
    /// advocate's rows over all time in a hash aggregate: those took longer with the room (its 21
    /// MB of fresh memory cost more than 1.6 MB spilled).
    static let workMemAtLeast64MB = """
        SELECT set_config('work_mem', '64MB', true) WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('64MB')
        """
}
