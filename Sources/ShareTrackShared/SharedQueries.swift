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
    ///
    /// The snapshot reads without JIT compilation (`jit` off for its transaction only): PostgreSQL
    /// compiles the plans it costs over `jit_above_cost`, here the answers over a range at 2M
    /// shares, for 30-40 ms that a few hundred thousand rows never repay (a fifth of those answers;
    /// `export` and `report` within their spread; docs/shared-store.md).
    public func snapshot<Result>(_ body: () throws -> Result) throws -> Result {
        guard !connection.inTransaction else { return try body() }
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off")
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
            if let ranked = try topOfPlaceRows(filter, ranking: ranking, limit: limit, over: source) { return ranked }
            if let merged = try topMerged(filter, ranking: ranking, limit: limit, over: source) { return merged }
            guard let (sql, values) = text.topOfSingleGroups(filter, ranking: ranking, limit: limit, over: source,
                                                             several: try advocatesWithSeveralRows(filter, over: source))
            else { return try rankedAdvocates(filter, source, ranking: ranking, limit: limit) }
            try connection.execute(Self.workMemAtLeast64MB)
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

    /// `top` from every advocate's sums over `filter`: where the filter names a range of at most
    /// `QueryText.rankedFirstHours` stored hours and nothing else, from the rollups, ranked first
    /// (`QueryText.advocatesRankedFirst`), without parallel workers, and over a long range
    /// (`isLong`) with `workMemAtLeast64MB`; else summed and ranked at once. PostgreSQL takes a
    /// `UNION`'s advocates to be 200 (its default for a column without statistics) and has
    /// parallel workers sum them, then sorts and merges their partial sums: at 2M shares about as
    /// many as the rows' advocates (32,759 for 19,814 over the last day), spilled to disk over days
    /// in 4 MB. Ranked by engagement over 1, 3 and 7 days the statement took 124-135, 647-696 and
    /// 879-916 ms, now 57-60, 140-149 and 362-435 (docs/shared-store.md).
    private func rankedAdvocates(_ filter: QueryFilter, _ source: Source, ranking: Ranking, limit: Int) throws -> [GroupRow] {
        guard source != .raw, filter.isRanged, filter.allTime == QueryFilter(),
              source.hoursInside(filter) <= QueryText.rankedFirstHours
        else {
            return try groups(.advocate, filter, source, ranking: ranking, limit: limit)
        }
        let (from, values) = source.sql(filter, columns: ["advocate"], text)
        if isLong(filter, source) { try connection.execute(Self.workMemAtLeast64MB) }
        return try withoutParallelWorkers {
            try rows(text.advocatesRankedFirst(from: from, ranking: ranking, limit: limit), values) {
                GroupRow(.advocate, row: $0)
            }
        }
    }

    /// The most stored hours of a range its answers hash every advocate of in the default
    /// `work_mem`, in one statement (`isLong`).
    static let shortRangeHours: Int64 = 48

    /// Whether `filter` names a range of more than `shortRangeHours` stored hours: its answers
    /// that hash every advocate of it get `workMemAtLeast64MB`, which the default 4 MB spilled to
    /// disk (at 2M shares over 3 days, `top` ranked first 155-169 ms in 4 MB, 140-149 in 64), and
    /// `tiers` counts its advocates apart. Over a day neither saved anything (`tiers` 62-134 ms
    /// in one statement, 29-34 + 35-38 apart, slower with a filter; the count in 64 MB 35-37 ms,
    /// in one of two runs 60-64).
    private func isLong(_ filter: QueryFilter, _ source: Source) -> Bool {
        filter.isRanged && source.hoursInside(filter) > Self.shortRangeHours
    }

    /// `body`'s statements planned without parallel workers; the transaction's setting as it was after.
    private func withoutParallelWorkers<Result>(_ body: () throws -> Result) throws -> Result {
        let setting = "max_parallel_workers_per_gather"
        let workers = try connection.query("SELECT current_setting('\(setting)')").string(0, 0)
        try connection.execute("SET LOCAL \(setting) = 0")
        defer { _ = try? connection.query("SELECT set_config('\(setting)', $1, true)", [workers]) }
        return try body()
    }

    /// Rows per tier, each with its distinct advocates. The advocates are counted apart and the
    /// sums come from the cheapest rollup, instead of one row per advocate group deduplicated: over
    /// all time with no attribute but the tier in `tier_advocates`, once it is filled
    /// (`TierAdvocates`); at a venue or in a campaign in `share_groups`, once each of its groups
    /// has a counted row (`CountedGroups`); over a long range (`isLong`) in the range's rows
    /// (`QueryText.advocatesPerTier`), with `workMemAtLeast64MB`.
    ///
    /// Over a range, counting each tier's distinct advocates in the statement that sums it sorted
    /// every row of the tier; apart, the advocates are hashed once and the sums take no sort: at
    /// 2M shares over 3 days 593-619 ms → 62-64 + 96-110, over 30 days 2.2-3.0 s → 0.6-0.7 + 1.0
    /// (docs/shared-store.md).
    private func tiers(_ filter: QueryFilter, _ source: Source) throws -> [GroupRow] {
        let (sql, values): (String, [SQLValue])
        if source.reads(table: TierAdvocates.table), TierAdvocates.answers(filter) {
            (sql, values) = (TierAdvocates.countSQL, [])
        } else if source.reads(table: CountedGroups.table), CountedGroups.answers(filter) {
            (sql, values) = text.storedAdvocatesPerTier(filter)
        } else if source != .raw, isLong(filter, source) {
            try connection.execute(Self.workMemAtLeast64MB)
            let (from, rangeValues) = source.sql(filter, columns: ["tier", "advocate"], text)
            (sql, values) = (text.advocatesPerTier(from: from), rangeValues)
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

    func rows<Row>(_ sql: String, _ values: [SQLValue], _ row: (PostgresRow) throws -> Row) throws -> [Row] {
        let result = try connection.query(sql, values.map(\.text))
        return try (0..<result.count).map { try row(PostgresRow(result: result, row: $0)) }
    }
}
