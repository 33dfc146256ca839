import ShareTrackCore
import ShareTrackStore

/// The query commands over a shared store (`sharectl --db postgresql://...`), for all its nodes
/// together: the same questions (`Question`), the same SQL (`QueryText`, PostgreSQL dialect) and
/// the same answer types as the local `Queries`, and the same choice of what sums read
/// (`Source`): the rollups plus the rollup log rows not folded into them yet (the dialect's live
/// groups, `RollupLog`), with a
/// share's counters, an advocate's recent shares and `export` from the raw rows. Each answer reads
/// one snapshot, in a read-only transaction (`snapshot`).
public struct SharedQueries {
    let connection: PostgresConnection
    let text = QueryText(.postgres)
    /// Whether sums may read the rollups (false: always the raw rows).
    let readsRollups: Bool
    /// The rows `topMerged` reads past `--limit` (`Queries.defaultTopDepth`; tests make it small,
    /// to exercise what lies past it).
    var topDepth = Queries.defaultTopDepth

    /// `readsRollups: false` sums the raw rows: the straightforward aggregation, for the
    /// differential test and the benchmark's "before".
    public init(_ connection: PostgresConnection, readsRollups: Bool = true) {
        self.connection = connection
        self.readsRollups = readsRollups
    }

    /// Answers a query command, or `nodes`; `now` is seconds since the epoch.
    public func answer(_ request: ControlRequest, now: Int64) throws -> any Encodable & Sendable {
        guard request.command != .nodes else { return try snapshot { try SharedNodes.read(connection) } }
        let question = try Question(request)
        return try snapshot { try answer(question, now: now) }
    }

    /// Runs `body` in one read-only snapshot of the store, or in the one already open (so that
    /// several answers, a report's, may read the same snapshot). A database without the store's
    /// schema, or with a newer one than this version knows, is refused first, naming it.
    public func snapshot<Result>(_ body: () throws -> Result) throws -> Result {
        guard !connection.inTransaction else { return try body() }
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.execute("ROLLBACK") }
        let version = try connection.query("SELECT to_regclass('meta') IS NOT NULL").string(0, 0) == "t"
            ? try connection.query("SELECT value::int FROM meta WHERE key = 'schema_version'") : nil
        guard let version, version.count == 1 else {
            throw ControlError(.failed, "\(connection.location) is not a ShareTrack shared store: it has no schema "
                               + "(a sharetrackd with shared_store set creates it when it first connects)")
        }
        guard version.int64(0, 0) <= SharedSchema.currentVersion else {
            throw ControlError(.failed, "the shared store's schema is version \(version.int64(0, 0)), newer than this sharectl knows "
                               + "(\(SharedSchema.currentVersion)); upgrade sharectl")
        }
        return try body()
    }

    private func answer(_ question: Question, now: Int64) throws -> any Encodable & Sendable {
        let source = try sumsSource()
        switch question {
        case .top(let ranking, let limit, let filter):
            if let merged = try topMerged(filter, ranking: ranking, limit: limit, over: source) { return merged }
            guard let (sql, values) = text.topOfSingleGroups(filter, ranking: ranking, limit: limit, over: source,
                                                             several: try advocatesWithSeveralRows(filter, over: source))
            else { return try groups(.advocate, filter, source, ranking: ranking, limit: limit) }
            try connection.execute(Self.topWorkMem)
            return try rows(sql, values) { GroupRow(.advocate, row: $0) }
        case .advocate(let id, var filter):
            filter.advocate = id
            return try advocate(id, filter, source)
        case .share(let token, let filter):
            return try share(token, filter)
        case .venues(let filter):
            return try groups(.venue, filter, source)
        case .tiers(let filter):
            return GroupRow.tiers(try tiers(filter, source), everyTier: true)
        case .networks(let filter):
            return try groups(.network, filter, source)
        case .trend(let filter):
            let (from, values) = source.sql(filter, columns: ["hour"], text)
            return try rows(text.trend(from: from), values) { TrendRow(row: $0) }
        case .sources(let silentAfter, let limit):
            return try rows("""
                SELECT source, highest_seq, last_seen, accepted, rejected, duplicates, test, node FROM sources
                ORDER BY last_seen DESC, source COLLATE "C", node COLLATE "C" LIMIT $1
                """, [.integer(Int64(limit))]) { row in
                SourceRow(row.string(0) ?? "", SourceState(row: row, at: 1), now: now, silentAfter: silentAfter,
                          node: row.string(7))
            }
        }
    }

    /// For `top` with a network or a tier alone, the advocates with several rows under it in the
    /// rollup it reads (`QueryText.advocatesWithSeveralRows`), which the answer sums apart: nil past
    /// `mostSummedApart`, or where there is nothing to find (or the sums do not read that rollup).
    func advocatesWithSeveralRows(_ filter: QueryFilter, over source: Source) throws -> QueryText.SeveralRows? {
        guard let (sql, values) = text.advocatesWithSeveralRows(filter, over: source, limit: Self.mostSummedApart + 1) else {
            return nil
        }
        let several = try connection.query(sql, values.map(\.text))
        guard several.int64(0, 1) <= Self.mostSummedApart else { return nil }
        return QueryText.SeveralRows(advocates: several.string(0, 0) ?? "{}", rows: Int(several.int64(0, 2)))
    }

    /// `top` by an additive ranking at a place with a network or a tier, as the daemon answers it
    /// (`Queries.topMerged`): the first rows in ranking order of the rollup that bounds each
    /// advocate's total there (`bounds(of:limit:over:)`), their advocates' totals under the filter (one
    /// statement for all), and the advocates of the rollup log's rows under the filter as the live
    /// ones (`TopMerge`). Nil where those rows do not decide.
    func topMerged(_ filter: QueryFilter, ranking: Ranking, limit: Int, over source: Source) throws -> [GroupRow]? {
        guard let key = ranking.additiveKey,
              let (liveSQL, liveValues) = text.liveAdvocates(filter),
              let bounds = try bounds(of: filter, limit: limit, over: source)
        else { return nil }
        let depth = limit + topDepth
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

    /// The `work_mem` of `top`'s bounded heap (`topOfSingleGroups`) at least, for the rest of the
    /// answer's transaction (a larger setting of the server, role or database is kept): room to
    /// hash one rollup row per advocate for the join with their groups (7 MB at 100,000 advocates;
    /// only what the hash takes is used). The default 4 MB spills that join to temporary files:
    /// about 45 ms of each such `top` at 100,000 advocates. Only there: the answers that sum every
    /// advocate's rows in a hash aggregate took longer with the room (its 21 MB of fresh memory
    /// cost more than 1.6 MB spilled).
    static let topWorkMem = """
        SELECT set_config('work_mem', '64MB', true) WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('64MB')
        """

    /// Where sums come from: the rollups and their log, with the hours the rollups hold, but not
    /// those being built, nor `tier_advocates` while it is filled (`SharedRollupBuilds.building`),
    /// or the raw rows (`readsRollups` false, or a store of an older schema that no daemon of this
    /// version has migrated yet: it may lack rollups this version reads).
    private func sumsSource() throws -> Source {
        guard readsRollups,
              try connection.query("SELECT value::int FROM meta WHERE key = 'schema_version'").int64(0, 0)
                  == SharedSchema.currentVersion
        else { return .raw }
        let hours = try connection.query("SELECT min(hour), max(hour) FROM rollup_hour_places")
        return .rollups(storedHours: hours.isNull(0, 0) ? nil : hours.int64(0, 0)...hours.int64(0, 1),
                        building: Set(try SharedRollupBuilds.building(connection)))
    }

    private func groups(_ dimension: GroupRow.Dimension, _ filter: QueryFilter, _ source: Source,
                        countAdvocates: Bool = false, ranking: Ranking? = nil, limit: Int? = nil) throws -> [GroupRow] {
        let column = dimension.rawValue
        let (from, values) = source.sql(filter, columns: countAdvocates ? [column, "advocate"] : [column], text)
        return try rows(text.groups(dimension.rawValue, from: from, countAdvocates: countAdvocates, ranking: ranking,
                                    limit: limit), values) { GroupRow(dimension, row: $0) }
    }

    /// Rows per tier, each with its distinct advocates. The advocates are counted apart and the
    /// sums come from the cheapest rollup, instead of one row per advocate group deduplicated: over
    /// all time with no attribute but the tier in `tier_advocates`, once it is filled
    /// (`TierAdvocates`); at a venue or in a campaign in `share_groups`, once each of its groups
    /// has a counted row (`CountedGroups`).
    private func tiers(_ filter: QueryFilter, _ source: Source) throws -> [GroupRow] {
        let (sql, values): (String, [SQLValue])
        if source.reads(table: TierAdvocates.table), TierAdvocates.answers(filter) {
            (sql, values) = (TierAdvocates.countSQL, [])
        } else if source.reads(table: CountedGroups.table), CountedGroups.answers(filter) {
            (sql, values) = text.storedAdvocatesPerTier(filter)
        } else {
            return try groups(.tier, filter, source, countAdvocates: true)
        }
        let advocates = Dictionary(uniqueKeysWithValues: try rows(sql, values) { ($0.string(0) ?? "", $0.int64(1)) })
        return try groups(.tier, filter, source).map { GroupRow(.tier, $0.name, advocates: advocates[$0.name] ?? 0, totals: $0.totals) }
    }

    /// `filter` names the advocate.
    private func advocate(_ id: String, _ filter: QueryFilter, _ source: Source) throws -> AdvocateReport {
        guard try !rows(text.advocateShared, [.text(id)], { _ in () }).isEmpty else {
            throw ControlError(.notFound, "no advocate '\(id)'")
        }
        let (from, values) = source.sql(filter, columns: [], text)
        let (recentSQL, recentValues) = text.recentShares(filter, limit: Queries.recentShares)
        return AdvocateReport(
            advocate: id, totals: try rows(text.totals(from: from), values) { $0.totals }.first ?? CounterTotals(),
            networks: try groups(.network, filter, source), venues: try groups(.venue, filter, source),
            tiers: GroupRow.tiers(try groups(.tier, filter, source), everyTier: false),
            recentShares: try rows(recentSQL, recentValues) { try ShareReport(row: $0) })
    }

    /// One share, or the orphan counts of a token not shared yet; only the filter's time range applies.
    private func share(_ token: String, _ filter: QueryFilter) throws -> ShareReport {
        let attribution = try rows(text.share, [.text(token)]) { try $0.attribution(at: 1) }.first
        guard try attribution != nil || !rows(text.tokenCounted, [.text(token)], { _ in () }).isEmpty else {
            throw ControlError.neverSeen(token)
        }
        let totals = try rows(text.shareCounters, [.text(token)] + QueryText.hourRange(filter)) { $0.totals }
        return ShareReport(share: token, attribution: attribution, totals: totals.first ?? CounterTotals())
    }

    private func rows<Row>(_ sql: String, _ values: [SQLValue], _ row: (PostgresRow) throws -> Row) throws -> [Row] {
        let result = try connection.query(sql, values.map(\.text))
        return try (0..<result.count).map { try row(PostgresRow(result: result, row: $0)) }
    }
}
