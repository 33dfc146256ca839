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
/// tables hold, copies the batches they do not hold yet into TEMP tables, and runs one SQL path over
/// the stored and the live rows. Live, those batches come from the daemon's memory; offline, from
/// the `Journal` (acknowledged batches not applied yet, e.g. after a crash). The rollback that ends
/// the transaction discards the copied rows.
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
    private let insertShare: Statement
    private let insertCounter: Statement

    /// Opens the database at `path` read-only; it must exist and have the current schema.
    public init(path: String) throws {
        database = try Self.open(path)
        do {
            try database.execute(Self.liveSchema)
            insertShare = try database.prepare(
                "INSERT OR IGNORE INTO temp.live_shares (\(Rows.shareColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            insertCounter = try database.prepare(
                "INSERT INTO temp.live_counters (\(Rows.counterColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: error.message)
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
                return try snapshot(live) {
                    try groups(.advocate, filter, orderBy: "\(ranking.sql) DESC, advocate", limit: limit)
                }
            case .advocate(let id, let filter):
                return try snapshot(live) { try advocate(id, filter) }
            case .share(let token, let filter):
                return try snapshot(live) { try share(token, filter) }
            case .venues(let filter):
                return try snapshot(live) { try groups(.venue, filter) }
            case .tiers(let filter):
                return try snapshot(live) { try tiers(filter, everyTier: true) }
            case .networks(let filter):
                return try snapshot(live) { try groups(.network, filter) }
            case .trend(let filter):
                return try snapshot(live) { try trend(filter) }
            case .sources(let silentAfter, let limit):
                return try reading(live) { try sources(after: $0, limit: limit, silentAfter: silentAfter, now: now) }
            }
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.failed, "cannot read the database \(database.path): \(error)")
        }
    }

    // MARK: Queries

    /// Counter sums per `dimension` over the rows `filter` selects, sorted by `orderBy` (default:
    /// the dimension); `countAdvocates` adds the number of distinct advocates.
    private func groups(_ dimension: GroupRow.Dimension, _ filter: QueryFilter, countAdvocates: Bool = false,
                        orderBy: String? = nil, limit: Int? = nil) throws -> [GroupRow] {
        let (conditions, values) = Self.conditions(filter)
        let column = dimension.rawValue
        return try rows("""
            SELECT \(column), \(countAdvocates ? "COUNT(DISTINCT advocate)" : "NULL"), \(Rows.sums)
            FROM temp.attributed WHERE \(conditions)
            GROUP BY \(column) ORDER BY \(orderBy ?? column) \(limit.map { "LIMIT \($0)" } ?? "")
            """, values) { row in
            GroupRow(dimension, row.string(0) ?? "", advocates: row.isNull(1) ? nil : row.int64(1),
                     totals: CounterTotals(row.counters(at: 2)))
        }
    }

    /// Rows per tier, in tier order. `everyTier`: a row for every tier, zeros included, with the
    /// number of distinct advocates; else only the tiers with counters.
    private func tiers(_ filter: QueryFilter, everyTier: Bool) throws -> [GroupRow] {
        let rows = try groups(.tier, filter, countAdvocates: everyTier)
        return Tier.allCases.compactMap { tier in
            rows.first { $0.name == tier.rawValue }
                ?? (everyTier ? GroupRow(.tier, tier.rawValue, advocates: 0, totals: CounterTotals()) : nil)
        }
    }

    private func advocate(_ id: String, _ filter: QueryFilter) throws -> AdvocateReport {
        guard try exists("SELECT 1 FROM temp.all_shares WHERE advocate = ? LIMIT 1", id) else {
            throw ControlError(.notFound, "no advocate '\(id)'")
        }
        var filter = filter
        filter.advocate = id
        let (conditions, values) = Self.conditions(filter)
        let totals = try rows("SELECT \(Rows.sums) FROM temp.attributed WHERE \(conditions)", values) {
            CounterTotals($0.counters(at: 0))
        }
        let recent = try rows("""
            SELECT \(Rows.shareColumns), \(Rows.sums) FROM temp.attributed WHERE \(conditions)
            GROUP BY token ORDER BY time DESC, token LIMIT \(Self.recentShares)
            """, values) { row in
            ShareReport(share: row.string(0) ?? "", attribution: try row.attribution(at: 1),
                        totals: CounterTotals(row.counters(at: 8)))
        }
        return AdvocateReport(
            advocate: id, totals: totals.first ?? CounterTotals(), networks: try groups(.network, filter),
            venues: try groups(.venue, filter), tiers: try tiers(filter, everyTier: false), recentShares: recent)
    }

    /// One share, or the orphan counts of a token not shared yet; only the filter's time range applies.
    private func share(_ token: String, _ filter: QueryFilter) throws -> ShareReport {
        let attribution = try rows("SELECT \(Rows.shareColumns) FROM temp.all_shares WHERE token = ?", [.text(token)]) {
            try $0.attribution(at: 1)
        }.first
        guard try attribution != nil || exists("SELECT 1 FROM temp.all_counters WHERE token = ? LIMIT 1", token) else {
            throw ControlError(.notFound, "no share '\(token)': the token was never seen")
        }
        let counters = try rows(
            "SELECT \(Rows.sums) FROM temp.all_counters WHERE token = ? AND hour >= ? AND hour < ?",
            [.text(token), .integer(filter.sinceHour ?? .min), .integer(filter.untilHour ?? .max)]
        ) { $0.counters(at: 0) }
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
        return recent.prefix(limit).map { source, state in
            let silentFor = max(0, now - state.lastSeen)
            return SourceRow(source: source, lastSeen: RFC3339.format(state.lastSeen), lastSeq: state.highestSeq,
                             accepted: state.accepted, rejected: state.rejected, duplicates: state.duplicates,
                             test: state.test,
                             silent: silentFor > silentAfter, silentFor: silentFor)
        }
    }

    // MARK: SQL

    /// The WHERE clause over `temp.attributed` that `filter` makes, with its parameters.
    static func conditions(_ filter: QueryFilter) -> (sql: String, values: [Statement.Value]) {
        let terms: [(String, Statement.Value?)] = [
            ("advocate = ?", filter.advocate.map { .text($0) }),
            ("venue = ?", filter.venue.map { .text($0) }),
            ("campaign = ?", filter.campaign.map { .text($0) }),
            ("network = ?", filter.network.map { .text($0) }),
            ("tier = ?", filter.tier.map { .text($0.rawValue) }),
            ("hour >= ?", filter.sinceHour.map { .integer($0) }),
            ("hour < ?", filter.untilHour.map { .integer($0) }),
        ].filter { $0.1 != nil }
        return (terms.isEmpty ? "1" : terms.map(\.0).joined(separator: " AND "), terms.compactMap(\.1))
    }

    func rows<Row>(_ sql: String, _ values: [Statement.Value], _ row: (Statement) throws -> Row) throws -> [Row] {
        let statement = try database.prepare(sql)
        try statement.bind(values)
        return try statement.rows(row)
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
        try reading(live) { batches in
            try copy(batches)
            return try body()
        }
    }

    /// Runs `body` in one read transaction with the batches the tables do not hold yet, oldest first.
    private func reading<Result>(_ live: LiveData?, _ body: ([Batch]) throws -> Result) throws -> Result {
        let batches = try live?.batches ?? Journal.batches(atPath: Journal.path(of: database.path))
        try database.execute("BEGIN")
        defer { try? database.execute("ROLLBACK") }
        let applied = UInt64(max(0, try Store.meta("generation", database)))
        return try body(batches.filter { $0.generation > applied })
    }

    /// Copies the rows of `batches` into the TEMP tables (see `liveSchema`).
    private func copy(_ batches: [Batch]) throws {
        for batch in batches {
            for share in batch.shares {
                try insertShare.bind(share)
                try insertShare.run()
            }
            for (key, counters) in batch.counters {
                try insertCounter.bind(key, counters)
                try insertCounter.run()
            }
        }
    }

    /// TEMP tables for the live rows, with the columns of `shares` and `counters`, and the views
    /// every query reads: committed plus live shares, committed plus live counters, and the two
    /// joined (counter rows with their share's attribution; orphans left out).
    ///
    /// `attributed` joins the shares to each counters table apart: SQLite then looks counters up
    /// by token (and hour) instead of materialising a union of all counters.
    private static let liveSchema = """
        PRAGMA temp_store = MEMORY;
        CREATE TEMP TABLE live_shares AS SELECT * FROM main.shares WHERE 0;
        CREATE UNIQUE INDEX temp.live_shares_by_token ON live_shares (token);
        CREATE TEMP TABLE live_counters AS SELECT * FROM main.counters WHERE 0;
        CREATE INDEX temp.live_counters_by_token ON live_counters (token, hour);
        CREATE TEMP VIEW all_shares AS
            SELECT \(Rows.shareColumns) FROM main.shares UNION ALL SELECT \(Rows.shareColumns) FROM temp.live_shares;
        CREATE TEMP VIEW all_counters AS
            SELECT \(Rows.counterColumns) FROM main.counters
            UNION ALL SELECT \(Rows.counterColumns) FROM temp.live_counters;
        CREATE TEMP VIEW attributed AS
            SELECT * FROM temp.all_shares JOIN main.counters USING (token)
            UNION ALL SELECT * FROM temp.all_shares JOIN temp.live_counters USING (token);
        """

    // MARK: Opening

    /// Opens read-only (`Database.forReading`) and checks the schema.
    private static func open(_ path: String) throws -> Database {
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
        database.setBusyTimeout(milliseconds: 1000)
        let version = try Schema.userVersion(database)
        guard version <= Schema.currentVersion else {
            throw StoreError.schemaTooNew(found: version, known: Schema.currentVersion, path: path)
        }
        guard version == Schema.currentVersion else { throw StoreError.notInitialized(path: path) }
        return database
    }
}

/// A request, checked: the command with its arguments and their defaults.
private enum Question {
    case top(Ranking, limit: Int, QueryFilter)
    case advocate(String, QueryFilter)
    case share(String, QueryFilter)
    case venues(QueryFilter)
    case tiers(QueryFilter)
    case networks(QueryFilter)
    case trend(QueryFilter)
    case sources(silentAfter: Int64, limit: Int)

    init(_ request: ControlRequest) throws(ControlError) {
        let query = request.query ?? Query()
        let filter = query.filter
        try filter.checkRange()
        switch request.command {
        case .top:
            guard let ranking = Ranking(rawValue: query.by ?? Ranking.uniqueClicks.rawValue) else {
                throw ControlError(.badRequest, "unknown value '\(query.by ?? "")' for by: expected "
                                   + Ranking.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let limit = query.limit ?? Queries.defaultLimit
            guard limit >= 1 else { throw ControlError(.badRequest, "limit must be at least 1, not \(limit)") }
            self = .top(ranking, limit: limit, filter)
        case .advocate:
            self = .advocate(try Self.id(query, "advocate id"), filter)
        case .share:
            self = .share(try Self.id(query, "share token"), filter)
        case .venues:
            self = .venues(filter)
        case .tiers:
            self = .tiers(filter)
        case .networks:
            self = .networks(filter)
        case .trend:
            self = .trend(filter)
        case .sources:
            let silentAfter = query.silentAfter ?? Queries.defaultSilentAfter
            guard silentAfter >= 0 else {
                throw ControlError(.badRequest, "silent_after must not be negative, not \(silentAfter)")
            }
            let limit = query.limit ?? Queries.defaultSourcesLimit
            guard (1...Queries.maxSourcesLimit).contains(limit) else {
                throw ControlError(.badRequest, "limit must be from 1 to \(Queries.maxSourcesLimit), not \(limit)")
            }
            self = .sources(silentAfter: silentAfter, limit: limit)
        case .status, .flush, .reload, .metrics, .forget, .backup, .resetSource, .export:
            throw ControlError(.badRequest, "'\(request.command.rawValue)' is not a query")
        }
    }

    private static func id(_ query: Query, _ what: String) throws(ControlError) -> String {
        guard let id = query.id, !id.isEmpty else { throw ControlError(.badRequest, "missing id: the \(what)") }
        return id
    }
}

extension Statement {
    /// A share's attribution from the columns of `Rows.shareColumns` after the token, from `column` on.
    fileprivate func attribution(at column: Int32) throws -> ShareAttribution {
        guard let tier = Tier(rawValue: string(column + 5) ?? "") else {
            throw ControlError(.failed, "the database holds an unknown tier '\(string(column + 5) ?? "")'")
        }
        return ShareAttribution(
            advocate: string(column) ?? "", venue: string(column + 1) ?? "", campaign: string(column + 2),
            network: string(column + 3) ?? "", followers: int64(column + 4), tier: tier,
            time: RFC3339.format(int64(column + 6)))
    }
}
