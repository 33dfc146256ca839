#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CSQLite
import ShareTrackCore

/// The query engine behind `top`, `advocate`, `share`, `venues`, `tiers` and `sources`, shared by
/// the daemon (live) and `sharectl --db` (offline), so both give the same numbers.
///
/// One read-only connection. Each answer runs in one read transaction: it reads the generation the
/// tables hold and loads what it needs of the batches they do not hold yet into TEMP tables
/// (`LiveRows`). Live, those batches come from the daemon's memory; offline, from the `Journal`
/// (acknowledged batches not applied yet, e.g. after a crash). The rollback that ends the
/// transaction discards the loaded rows.
///
/// Sums over advocates, venues, networks and tiers read the `Rollup` tables plus the live groups
/// (but a rollup still being summed, `RollupBuilds`: the next one that covers them);
/// while the rollups are still being built for an older database (and in the differential test,
/// as the reference), they read the raw counter rows joined with the shares instead; so does
/// `trend`, per hour. A share's own counters and an advocate's recent shares always come from the
/// raw rows (by primary key); so does `export`.
///
/// Not thread-safe: the owner keeps it on one queue or behind a lock.
public final class Queries {
    /// How many shares an `advocate` answer lists.
    public static let recentShares = 10
    public static let defaultLimit = 20
    public static let defaultSilentAfter: Int64 = 300
    /// How many producers `sources` lists by default, and at most.
    public static let defaultSourcesLimit = 100
    public static let maxSourcesLimit = 10_000

    let database: Database
    /// The query SQL, shared with the shared store's queries.
    static let text = QueryText(.sqlite)
    let live: LiveRows
    /// See `defaultTopDepth` (tests make it small, to exercise what lies past it).
    var topDepth = Queries.defaultTopDepth
    /// See `defaultKeptWhileReading` (tests make it small, to exercise the sort past it).
    var keptWhileReading = Queries.defaultKeptWhileReading
    /// See `RangeSums.defaultMostGroups` (tests make it 0, to exercise SQL past it).
    var rangeGroupsInMemory = RangeSums.defaultMostGroups
    /// See `Source.defaultHoursTakenAwayBySQL` (tests make it 0, to sum such ranges in memory).
    var hoursTakenAwayBySQL = Source.defaultHoursTakenAwayBySQL
    let advocateGroups: AdvocateGroupCount
    let tierAdvocates: [TierAdvocateCounts]
    private let rollupProgress: Statement
    private let rollupBuilds: Statement
    private let storedHours: Statement
    /// Whether sums may read the rollups (false: always the raw rows).
    private let readsRollups: Bool

    /// Opens the database at `path` read-only; it must exist and have the current schema.
    public convenience init(path: String) throws {
        try self.init(path: path, readsRollups: true)
    }

    /// `readsRollups: false` sums the raw rows even when the rollups are complete: the
    /// straightforward aggregation, for the differential test and the benchmark's "before".
    public init(path: String, readsRollups: Bool) throws {
        database = try Self.open(path)
        self.readsRollups = readsRollups
        do {
            live = try LiveRows(database)
            advocateGroups = try AdvocateGroupCount(database)
            tierAdvocates = try TierAdvocateCounts.all(database)
            rollupProgress = try database.prepare("SELECT 1 FROM main.rollup_progress")
            rollupBuilds = try database.prepare("SELECT rollup FROM main.rollup_builds")
            // Two subqueries: SQLite reads a lone min() or max() off the index, both together by a scan.
            storedHours = try database.prepare(
                "SELECT (SELECT min(hour) FROM main.rollup_hour_places), (SELECT max(hour) FROM main.rollup_hour_places)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Answers a query command; `live` is `nil` offline. `now` is seconds since the epoch.
    public func answer(_ request: ControlRequest, live: LiveData?, now: Int64) throws(ControlError)
        -> any Encodable & Sendable
    {
        let question = try Question(request)
        do {
            switch question {
            case .top(let ranking, let limit, let filter):
                let sums = Self.sums(filter, columns: ["advocate"], deferred: Self.mayMergeTop(filter))
                let scope = filter == QueryFilter() ? { $0.reads(.advocateTotals) ? .everyAdvocate : sums($0) } : sums
                return try snapshot(live, scope) { source in try top(ranking, limit: limit, filter, source) }
            case .advocate(let id, var filter):
                filter.advocate = id
                return try snapshot(live, .advocate(id, filter)) { try advocate(id, filter, $0) }
            case .share(let token, let filter):
                return try snapshot(live, .token(token)) { _ in try share(token, filter) }
            case .venues(let filter):
                return try snapshot(live, .groups(filter, columns: ["venue"])) { try groups(.venue, filter, $0) }
            case .tiers(let filter):
                // A venue's advocates are kept counted (`TierAdvocateCounts`): cheaper than its groups.
                let sums = Self.sums(filter, columns: ["tier", "advocate"], deferred: true)
                return try snapshot(live, { Self.countsStoredAdvocates(filter, $0) ? .tiers(filter) : sums($0) }) {
                    try tiers(filter, $0, everyTier: true)
                }
            case .networks(let filter):
                return try snapshot(live, .groups(filter, columns: ["network"])) { try groups(.network, filter, $0) }
            case .trend(let filter):
                return try snapshot(live, .groups(filter, columns: ["hour"])) { try trend(filter, $0) }
            case .sources(let silentAfter, let limit):
                return try reading(live) { batches, _ in
                    try sources(after: batches, limit: limit, silentAfter: silentAfter, now: now)
                }
            }
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.failed, "cannot read the database \(database.path): \(error)")
        }
    }

    /// Where the sums it keeps of the daemon's pending batch stand: a query's `LiveData` brings
    /// what the batch gained after this (`LiveData.pendingEffects`).
    public var pendingSeen: PendingEffects.Position? { live.pendingSeen }

    /// Whether an answer to `command` sums the live batches' groups, and so adds what the daemon's
    /// pending batch gained (`LiveData.pendingEffects`); the others read raw rows, and would only
    /// have those records copied for nothing.
    public static func addsPendingRecords(_ command: ControlRequest.Command) -> Bool {
        [.top, .venues, .tiers, .networks, .trend].contains(command)
    }

    /// Keeps what answers keep in memory (`LiveRows.keepsStored`) following the batches, for no
    /// one: it advances by each batch applied only if it saw that batch live, else it is read again
    /// by the next answer (hundreds of milliseconds, and tens of MiB while it is made). And brings
    /// the kept counts of each tier's advocates to the group rows added (`TierAdvocateCounts`),
    /// and has the (tier, advocate) pairs of the final batches' new groups looked up for each
    /// filter `tiers` keeps them for (`StoredPairs`), which an answer would otherwise look up all
    /// at once. The daemon calls this after each flush, so a `top` or `tiers` asked now and then
    /// finds it kept.
    public func keepUp(live: LiveData) {
        guard self.live.keepsStored || tierAdvocates.contains(where: \.isCounting) || !self.live.storedPairs.isEmpty
        else { return }
        _ = try? snapshot(live, { _ in .kept }) { _ in
            let id = try Store.meta("id", database)
            for counts in tierAdvocates { try counts.catchUp(database: id) }
            for filter in self.live.storedPairs.filters {
                _ = try newPairs(of: self.live.newGroups.filter { self.live.attributions.groups[Int($0)].matches(filter) }, filter)
            }
        }
    }

    /// Counts each advocate's group rows (`AdvocateGroupCount`) for no one, ahead of the first
    /// answer that needs them: one scan of `advocate_groups`, which made the daemon's first `top
    /// --by engagement --campaign --tier` at 2M shares take 111 ms instead of 55-61
    /// (docs/benchmarks.md, round 36). The answers after it count only the group rows added since.
    public func countAdvocateGroups() throws {
        try database.execute("BEGIN")
        defer { try? database.execute("ROLLBACK") }
        _ = try advocateGroups.most()
    }

    // MARK: Queries

    /// Counter sums per `dimension` over the rows `filter` selects, ranked by `ranking` (default:
    /// ordered by the dimension; a ranking ranks advocates); `countAdvocates` adds the number of
    /// distinct advocates. Over a range, summed in memory where `RangeSums` can (else by SQL, with
    /// the live groups put in `live_groups`).
    func groups(_ dimension: GroupRow.Dimension, _ filter: QueryFilter, _ source: Source,
                        countAdvocates: Bool = false, ranking: Ranking? = nil, limit: Int? = nil) throws -> [GroupRow] {
        let column = dimension.rawValue
        let columns = countAdvocates ? [column, "advocate"] : [column]
        if let reading = source.summedInMemory(filter, columns: columns, hoursTakenAwayBySQL: hoursTakenAwayBySQL),
           var sums = try RangeSums(column, countingAdvocates: countAdvocates, filter, from: reading.hourly,
                                    stored: reading.stored, mostGroups: rangeGroupsInMemory, in: database) {
            sums.add(live: live.grouped)
            return ranking.map { first(limit ?? .max, of: sums.valueSums, by: $0) } ?? sums.rows(dimension)
        }
        try live.fill()
        let (from, values) = source.sql(filter, columns: columns, Self.text)
        return try rows(Self.text.groups(column, from: from, countAdvocates: countAdvocates, ranking: ranking, limit: limit),
                        values) { GroupRow(dimension, row: $0) }
    }

    /// `filter` names the advocate.
    private func advocate(_ id: String, _ filter: QueryFilter, _ source: Source) throws -> AdvocateReport {
        guard try exists(Self.text.advocateShared, id) else {
            throw ControlError(.notFound, "no advocate '\(id)'")
        }
        let (from, sumValues) = source.sql(filter, columns: [], Self.text)
        let totals = try rows(Self.text.totals(from: from), sumValues) { CounterTotals($0.counters(at: 0)) }
        let (recentSQL, values) = Self.text.recentShares(filter, limit: Self.recentShares)
        let recent = try rows(recentSQL, values) { try ShareReport(row: $0) }
        return AdvocateReport(
            advocate: id, totals: totals.first ?? CounterTotals(), networks: try groups(.network, filter, source),
            venues: try groups(.venue, filter, source), tiers: try tiers(filter, source, everyTier: false),
            recentShares: recent)
    }

    /// One share, or the orphan counts of a token not shared yet; only the filter's time range applies.
    private func share(_ token: String, _ filter: QueryFilter) throws -> ShareReport {
        let attribution = try rows(Self.text.share, [.text(token)]) { try $0.attribution(at: 1) }.first
        guard try attribution != nil || exists(Self.text.tokenCounted, token) else {
            throw ControlError.neverSeen(token)
        }
        let counters = try rows(Self.text.shareCounters, [.text(token)] + QueryText.hourRange(filter)) { $0.counters(at: 0) }
        return ShareReport(share: token, attribution: attribution, totals: CounterTotals(counters.first ?? Counters()))
    }

    /// The `limit` producers seen most recently: the stored ones, as the batches the tables do not
    /// hold yet (oldest first) have changed them. Reads at most `limit` rows more than those
    /// batches name, through the index on `last_seen`, however many producers there are.
    private func sources(after batches: [Batch], limit: Int, silentAfter: Int64, now: Int64) throws -> [SourceRow] {
        var states: [String: SourceState] = [:]
        for batch in batches { states.merge(batch.sources) { $1 } }
        let live = states.count
        let stored = try rows(
            "SELECT source, \(Rows.sourceColumns) FROM sources ORDER BY last_seen DESC, source LIMIT ?",
            [.integer(Int64(limit + live))]) { ($0.string(0) ?? "", SourceState(row: $0, at: 1)) }
        for (source, state) in stored where states[source] == nil { states[source] = state }
        let recent = states.sorted { $0.value.lastSeen != $1.value.lastSeen ? $0.value.lastSeen > $1.value.lastSeen : $0.key < $1.key }
        return recent.prefix(limit).map { SourceRow($0, $1, now: now, silentAfter: silentAfter) }
    }

    // MARK: SQL

    func rows<Row>(_ sql: String, _ values: [SQLValue], _ row: (Statement) throws -> Row) throws -> [Row] {
        try statement(sql, values).rows(row)
    }

    /// `sql` prepared, with `values` bound.
    func statement(_ sql: String, _ values: [SQLValue]) throws -> Statement {
        let statement = try database.prepare(sql)
        try statement.bind(values.map(\.statementValue))
        return statement
    }

    private func exists(_ sql: String, _ value: String) throws -> Bool {
        try !rows(sql, [.text(value)]) { _ in () }.isEmpty
    }

    /// Runs `body` in one read transaction over the rows in the tables plus the batches they do not
    /// hold yet (those of a later generation than the last one applied): `live`'s, or offline the
    /// journal's.
    ///
    /// Offline, the journal is read before the database: a batch applied in between is then in
    /// both, and counted once (from the tables); read the other way round, it could be in neither.
    func snapshot<Result>(_ live: LiveData?, _ body: () throws -> Result) throws -> Result {
        try snapshot(live, .raw) { _ in try body() }
    }

    /// `snapshot(_:_:)` for an answer that may sum the rollups: `body` is told where sums come
    /// from, the rollups or (while they are not complete) the raw rows; `scope` says which live
    /// rows the rollup path needs (the raw path loads them all).
    private func snapshot<Result>(_ live: LiveData?, _ scope: LiveRows.Scope, _ body: (Source) throws -> Result)
        throws -> Result
    {
        try snapshot(live, { _ in scope }, body)
    }

    /// The live rows of an answer that sums per `columns` and reads `live.grouped` (`top`,
    /// `tiers`): where the source sums stored groups in memory (`Source.storedRange`), those groups
    /// too (`LiveRows.Scope.stored`), else the live groups (`deferred`: see `LiveRows.Scope.groups`).
    private static func sums(_ filter: QueryFilter, columns: Set<String>, deferred: Bool) -> (Source) -> LiveRows.Scope {
        { source in
            source.storedRange(filter).map { .stored($0, filter, columns: columns) }
                ?? .groups(filter, columns: columns, deferred: deferred)
        }
    }

    /// `snapshot(_:_:_:)` with the scope chosen for the source.
    private func snapshot<Result>(_ live: LiveData?, _ scope: (Source) -> LiveRows.Scope,
                                  _ body: (Source) throws -> Result) throws -> Result
    {
        try reading(live) { batches, generation in
            let source: Source = try readsRollups && rollupProgress.rows({ _ in () }).isEmpty
                ? .rollups(storedHours: storedHours.rows { $0.isNull(0) ? nil : $0.int64(0)...$0.int64(1) }.first ?? nil,
                           building: Set(rollupBuilds.rows { $0.string(0) ?? "" }))
                : .raw
            try self.live.load(batches, source == .raw ? .raw : scope(source),
                               renames: try Store.meta("advocates_renamed", database), generation: generation,
                               effects: (live?.pendingEffects, live?.flushedEffects))
            return try body(source)
        }
    }

    /// Runs `body` in one read transaction with the batches the tables do not hold yet, oldest
    /// first, and the generation of the last batch they hold.
    private func reading<Result>(_ live: LiveData?, _ body: ([Batch], UInt64) throws -> Result) throws -> Result {
        // Offline, only the journal's batches after the generation the tables held a moment ago (a
        // shared store's backlog keeps older ones there too).
        let batches = try live?.batches ?? Journal.batches(
            atPath: Journal.path(of: database.path), after: UInt64(max(0, try Store.meta("generation", database))))
        try database.execute("BEGIN")
        defer { try? database.execute("ROLLBACK") }
        let applied = UInt64(max(0, try Store.meta("generation", database)))
        return try body(batches.filter { $0.generation > applied }, applied)
    }

    // MARK: Opening

    /// Opens read-only (`Database.forReading`) and checks the schema.
    private static func open(_ named: String) throws -> Database {
        let path = DatabaseFiles.followingLink(named)
        guard access(path, R_OK) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        do {
            return try checked(Database.forReading(path), path: path)
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
    }

    private static func checked(_ database: Database, path: String) throws -> Database {
        let version = try Schema.userVersion(database)
        guard version <= Schema.currentVersion else {
            throw StoreError.schemaTooNew(found: version, known: Schema.currentVersion, path: path)
        }
        guard version > 0 else {
            try Schema.refuseForeign(database)
            throw StoreError.notInitialized(path: path)
        }
        guard version == Schema.currentVersion else {
            throw StoreError.schemaTooOld(found: version, known: Schema.currentVersion, path: path)
        }
        return database
    }
}
