import ShareTrackCore

/// The TEMP tables through which a query sees the batches the tables do not hold yet, filled at the
/// start of each answer's read transaction (whose rollback empties them again):
/// - `live_shares` and `live_counters`: the batches' raw rows, with the columns of `shares` and
///   `counters`, read through the views `all_shares`, `all_counters` and `attributed` (counter rows
///   with their share's attribution; orphans left out);
/// - `live_groups`: the batches' counters summed per share group (`LiveGroups`), already filtered,
///   which a query over the rollups adds to what it reads from them. Each batch's groups are
///   computed once and kept until it is applied, so an answer sums the pending batch's counters,
///   not the whole backlog's.
final class LiveRows {
    /// Which live rows an answer needs.
    enum Scope {
        /// The raw rows of every token (the answer reads only raw rows).
        case raw
        /// The raw rows of one token.
        case token(String)
        /// The raw rows and groups of one advocate's shares, the groups filtered.
        case advocate(String, QueryFilter)
        /// Every group, filtered.
        case groups(QueryFilter)
        /// Every group per hour, filtered.
        case hours(QueryFilter)
    }

    private let database: Database
    private let insertShare: Statement
    private let insertCounter: Statement
    private let insertGroup: Statement
    private let storedCounters: Statement
    private let advocateTokens: Statement
    private let attributions: AttributionCache
    /// The groups of each batch that cannot change any more (every batch but the last, which may be
    /// the daemon's pending batch, still growing), by generation, until it is applied.
    private var finalGroups: [UInt64: LiveGroups] = [:]

    init(_ database: Database) throws {
        self.database = database
        try database.execute(Self.schema)
        insertShare = try database.prepare(
            "INSERT OR IGNORE INTO temp.live_shares (\(Rows.shareColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        insertCounter = try database.prepare(
            "INSERT INTO temp.live_counters (\(Rows.counterColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        insertGroup = try database.prepare(
            "INSERT INTO temp.live_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        storedCounters = try database.prepare(
            "SELECT hour, \(Rows.counterNames.joined(separator: ", ")) FROM main.counters WHERE token = ?")
        advocateTokens = try database.prepare("SELECT token FROM main.shares WHERE advocate = ?")
        attributions = try AttributionCache(database)
    }

    /// Fills the tables with what `scope` needs of `batches` (those the tables do not hold), in
    /// the caller's read transaction, which read `renames` from `meta.advocates_renamed`.
    func load(_ batches: [Batch], _ scope: Scope, renames: Int64) throws {
        if attributions.trim(renames: renames) { finalGroups.removeAll() }
        let unapplied = Set(batches.map(\.generation))
        finalGroups = finalGroups.filter { unapplied.contains($0.key) }
        switch scope {
        case .raw:
            try copy(batches) { _ in true }
        case .token(let token):
            try copy(batches) { $0 == token }
        case .advocate(let advocate, let filter):
            try advocateTokens.bind(advocate, at: 1)
            var tokens = Set(try advocateTokens.rows { $0.string(0) ?? "" })
            for batch in batches {
                for share in batch.shares where share.attributes.advocate == advocate { tokens.insert(share.token) }
            }
            try copy(batches) { tokens.contains($0) }
            try group(batches, filter, tokens: { tokens.contains($0) })
        case .groups(let filter):
            try group(batches, filter, tokens: nil)
        case .hours(let filter):
            try group(batches, filter, tokens: nil, byHour: true)
        }
    }

    /// Copies the raw rows of the tokens `included` selects.
    private func copy(_ batches: [Batch], _ included: (String) -> Bool) throws {
        for batch in batches {
            for share in batch.shares where included(share.token) {
                try insertShare.bind(share)
                try insertShare.run()
            }
            for (key, counters) in batch.counters where included(key.token) {
                try insertCounter.bind(key, counters)
                try insertCounter.run()
            }
        }
    }

    /// Fills `live_groups` with the groups `filter` selects, summed over the hours in its range
    /// (`byHour`: per hour; else with hour NULL). Every batch's groups are computed once, and kept while it stays unapplied, unless `tokens`
    /// restricts them (an advocate's answer computes only that advocate's).
    private func group(_ batches: [Batch], _ filter: QueryFilter, tokens: ((String) -> Bool)?, byHour: Bool = false) throws {
        let hours = (filter.sinceHour ?? .min)..<(filter.untilHour ?? .max)
        var sums: [LiveGroups.Key: Counters] = [:]
        var selected: [Int32: Bool] = [:]
        for (index, batch) in batches.enumerated() {
            let live: LiveGroups
            if let final = finalGroups[batch.generation] {
                live = final
            } else {
                live = try LiveGroups(batch, after: batches[..<index], tokens: tokens, cache: attributions) { token in
                    try storedCounters.bind(token, at: 1)
                    return try storedCounters.rows { ($0.int64(0), $0.counters(at: 1)) }
                }
                if tokens == nil && index < batches.count - 1 { finalGroups[batch.generation] = live }
            }
            for (key, counters) in live.sums where hours.contains(key.hour) {
                let matches = selected[key.group] ?? attributions.groups[Int(key.group)].matches(filter)
                selected[key.group] = matches
                if matches { sums[byHour ? key : LiveGroups.Key(hour: 0, group: key.group), default: Counters()].add(counters) }
            }
        }
        for (key, counters) in sums {
            let group = attributions.groups[Int(key.group)]
            try insertGroup.bind([.integer(byHour ? key.hour : nil), .text(group.advocate), .text(group.venue),
                                  .text(group.campaign), .text(group.network), .text(group.tier)] + counters.values)
            try insertGroup.run()
        }
    }

    /// `attributed` joins the shares to each counters table apart: SQLite then looks counters up
    /// by token (and hour) instead of materialising a union of all counters.
    private static let schema = """
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
        CREATE TEMP TABLE live_groups (
            hour INTEGER, \((GroupKey.attributes.map { "\($0) TEXT NOT NULL" } + Rows.counterNames.map { "\($0) INTEGER NOT NULL" })
                .joined(separator: ", ")));
        """
}
