import ShareTrackCore

/// Keeps the `Rollup` tables in step with the counters, inside the store's transactions.
///
/// Each counter unit enters the rollups exactly once, under its share's attributes:
/// - a batch's counter delta for a token whose share the tables held before the batch's
///   transaction is added when the transaction's batches are applied;
/// - when a share arrives, every counter row its token has at the end of that transaction
///   (earlier orphans and the deltas of the transaction's batches alike) is added once;
/// - a token never shared adds nothing.
///
/// While the rollups are being built for an existing database (`build(shares:)`), only tokens up
/// to `builtThrough` are kept in step; the build adds the others as it reaches them. While a
/// rollup is being summed from the rollup of every attribute at its grain (`builds`), it gets only
/// the counters of the share groups it holds already.
///
/// The statements here are SQLite's (`temp.` tables, `CROSS JOIN` to fix the join order).
final class RollupWriter {
    /// The token through which the rollups hold every share's counters; nil once they hold all.
    /// The store sets it once a `build(shares:)` step has committed.
    var builtThrough: String?
    let builds: RollupBuilds
    /// The transaction's counter deltas (but those of its new shares) and new share tokens, staged
    /// for `addStaged()` (one row or `Store.chunkRows` rows at a time, like the store's own inserts).
    /// The deltas have no index: `addStaged()` reads them in the order they were written (each
    /// batch's in the store's key order, which keeps a token's rows in it together), so an index
    /// would only cost a B-tree insert per row.
    let stageCounter: Statement
    let stageCounters: Statement
    let stageShare: Statement
    let stageShares: Statement
    private let attributeBatch: Statement
    private let attributeShares: Statement
    private let nextBound: Statement
    /// Each rollup's upsert of one row and of `Store.chunkRows` rows.
    private let upserts: [(one: Statement, many: Statement)]
    private let renames: [Statement]
    private let countRename: Statement
    private let numbers: GroupNumbers
    private let database: Database

    init(_ database: Database) throws {
        self.database = database
        // `auto_vacuum`: the TEMP database is in memory, and emptying its tables after each batch
        // would otherwise keep their pages, as large as the largest batch staged, for good (about
        // 6 MiB, 36 bytes per known share, after `make bench`; docs/benchmarks.md, round 17).
        try database.execute("""
            PRAGMA temp_store = MEMORY; PRAGMA temp.auto_vacuum = FULL;
            CREATE TEMP TABLE batch_counters AS SELECT \(Rows.counterColumns) FROM main.counters WHERE 0;
            CREATE TEMP TABLE batch_shares (token TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
            """)
        stageCounter = try database.prepare("INSERT INTO temp.batch_counters VALUES \(Rows.values(9, rows: 1))")
        stageCounters = try database.prepare(
            "INSERT INTO temp.batch_counters VALUES \(Rows.values(9, rows: Store.chunkRows))")
        stageShare = try database.prepare("INSERT INTO temp.batch_shares VALUES \(Rows.values(1, rows: 1))")
        stageShares = try database.prepare("INSERT INTO temp.batch_shares VALUES \(Rows.values(1, rows: Store.chunkRows))")
        let attributed = "c.token, c.hour, s.advocate, s.venue, coalesce(s.campaign, ''), s.network, s.tier, "
            + Rows.counterNames.map { "c.\($0)" }.joined(separator: ", ")
        // ?1: builtThrough (NULL: every token).
        attributeBatch = try database.prepare("""
            SELECT \(attributed) FROM temp.batch_counters c CROSS JOIN main.shares s ON s.token = c.token
            WHERE ?1 IS NULL OR c.token <= ?1
            UNION ALL
            SELECT \(attributed) FROM temp.batch_shares b CROSS JOIN main.shares s ON s.token = b.token
                CROSS JOIN main.counters c ON c.token = b.token
            WHERE ?1 IS NULL OR b.token <= ?1
            """)
        // ?1, ?2: the shares after ?1 through ?2 (NULL: to the last).
        attributeShares = try database.prepare("""
            SELECT \(attributed) FROM main.shares s CROSS JOIN main.counters c ON c.token = s.token
            WHERE s.token > ?1 AND (?2 IS NULL OR s.token <= ?2)
            """)
        nextBound = try database.prepare("SELECT token FROM main.shares WHERE token > ? ORDER BY token LIMIT 1 OFFSET ?")
        upserts = try Rollup.all.map { rollup in
            (try database.prepare(rollup.upsertSQL(rows: 1, .sqlite)),
             try database.prepare(rollup.upsertSQL(rows: Store.chunkRows, .sqlite)))
        }
        // The rollups whose rows repeat the advocate first, finding its groups by their old name.
        let repeating = Rollup.all.filter { $0.repeatedAttributes(.sqlite).contains("advocate") }.map { rollup in
            "UPDATE \(rollup.table) SET advocate = ?1 WHERE id IN (SELECT id FROM \(rollup.groups.table) WHERE advocate = ?2)"
        }
        renames = try (repeating + GroupTable.all.filter { $0.attributes.contains("advocate") }.map { groups in
            "UPDATE \(groups.table) SET advocate = ?1 WHERE advocate = ?2"
        }).map { try database.prepare($0) }
        numbers = try GroupNumbers(database)
        countRename = try database.prepare("UPDATE meta SET value = value + 1 WHERE key = 'advocates_renamed'")
        builtThrough = try database.prepare("SELECT built_through FROM rollup_progress").rows { $0.string(0) }.first ?? nil
        builds = try RollupBuilds(database)
    }

    /// Adds what the staged batches (their counter deltas and new shares, written to the tables
    /// already) bring to the rollups, and empties the staging tables: the staged deltas of tokens
    /// shared before, and every counter row of each new share's token (its earlier orphans and
    /// the batches' own deltas, which are not staged).
    func addStaged() throws {
        try attributeBatch.bind(builtThrough, at: 1)
        try add(attributeBatch)
        try database.execute("DELETE FROM temp.batch_counters; DELETE FROM temp.batch_shares;")
    }

    /// Renames an advocate in every `GroupTable` and in the rollup rows that repeat it (`sharectl
    /// forget --advocate`; `pseudonym` is new, so no groups merge), and counts the rename in
    /// `meta.advocates_renamed`, which tells `Queries` to drop the attributions it remembers.
    func renameAdvocate(_ id: String, to pseudonym: String) throws {
        for rename in renames {
            try rename.bind([.text(pseudonym), .text(id)])
            try rename.run()
        }
        try countRename.run()
    }

    /// Forgets what the transaction that failed numbered (the ids it added are rolled back).
    func rolledBack() {
        numbers.forget()
    }

    /// Adds the counters of the next `shares` shares (in token order) to the rollups, in the
    /// caller's transaction; returns the token they are built through now (nil: every share).
    func build(shares: Int) throws -> String? {
        guard let from = builtThrough else { return nil }
        try nextBound.bind([.text(from), .integer(Int64(shares - 1))])
        let through = try nextBound.rows { $0.string(0) }.first ?? nil
        try attributeShares.bind([.text(from), .text(through)])
        try add(attributeShares)
        if let through {
            let progress = try database.prepare("UPDATE rollup_progress SET built_through = ?")
            try progress.bind([.text(through)])
            try progress.run()
        } else {
            try database.execute("DELETE FROM rollup_progress")
        }
        return through
    }

    /// Adds the rows `attributed` returns (token, hour, the attributes of `GroupKey`, the
    /// counters; most of a token's rows one after another) to every rollup: summed per hour and group here
    /// (cheaper than SQL's sorter), then per rollup key, and upserted `Store.chunkRows` rows at a
    /// time in key order, so that each rollup's B-tree is walked from left to right (but that keyed
    /// by its attributes, `Rollup.primaryKey`, whose ids are in no order there: sorting its rows by
    /// their attributes cost about what it saved, docs/benchmarks.md, session 62).
    private func add(_ attributed: Statement) throws {
        var groups: [GroupKey] = []
        var numbered: [GroupKey: Int64] = [:]
        // Keyed by hour and position in `groups`.
        var cells: [(key: RollupKey, counters: Counters)] = []
        // The group of the row before's token: the statements return a token's rows one after
        // another (a row per hour it was clicked in; a staged batch's, one batch after another),
        // which then read and hash its attributes once.
        var token = ""
        var position: Int64 = -1
        defer { attributed.reset() }
        while try attributed.step() {
            if position < 0 || !attributed.text(0, is: token) {
                token = attributed.string(0) ?? ""
                let group = GroupKey(advocate: attributed.string(2) ?? "", venue: attributed.string(3) ?? "",
                                     campaign: attributed.string(4) ?? "", network: attributed.string(5) ?? "",
                                     tier: attributed.string(6) ?? "")
                position = numbered[group] ?? {
                    groups.append(group)
                    numbered[group] = Int64(groups.count - 1)
                    return Int64(groups.count - 1)
                }()
            }
            cells.append((RollupKey(hour: attributed.int64(1), id: position), attributed.counters(at: 7)))
        }
        Self.sumPerKey(&cells)
        let ids = try numbers.ids(of: groups)
        var binder = RowBinder()
        var rows: [(key: RollupKey, counters: Counters)] = []
        rows.reserveCapacity(cells.count)
        let shareGroup = GroupTable.shares.index!
        // For a rollup whose rows repeat attributes: a group of `groups` under each of its ids.
        var named: [Int64: Int] = [:]
        for (index, (rollup, upsert)) in zip(Rollup.all, upserts).enumerated() {
            let table = rollup.groups.index
            rows.removeAll(keepingCapacity: true)
            let built = builds.builtThrough[index] ?? .max
            for (cell, counters) in cells where ids[Int(cell.id)][shareGroup] <= built {
                let id = table.map { ids[Int(cell.id)][$0] } ?? 0
                rows.append((RollupKey(hour: rollup.hourly ? cell.hour : 0, id: id), counters))
                if rollup.repeatsAttributes(.sqlite) { named[id] = Int(cell.id) }
            }
            Self.sumPerKey(&rows)
            for (key, counters) in rows {
                if rollup.hourly { binder.add(key.hour) }
                binder.add(key.id)
                for attribute in rollup.repeatedAttributes(.sqlite) { binder.add(groups[named[key.id]!][attribute]) }
                Store.add(counters, to: &binder)
                try binder.endRow(many: upsert.many)
            }
            try binder.finish(one: upsert.one)
        }
    }

    /// Sorts `rows` by key, and sums each key's counters into one row (cheaper than a dictionary
    /// keyed by `RollupKey`: no hashing, and the rollups are upserted in key order anyway).
    static func sumPerKey(_ rows: inout [(key: RollupKey, counters: Counters)]) {
        var sums: [(key: RollupKey, counters: Counters)] = []
        sums.reserveCapacity(rows.count)
        for index in RollupKey.order(of: rows.map(\.key)) {
            if let last = sums.last, last.key == rows[index].key {
                sums[sums.count - 1].counters.add(rows[index].counters)
            } else {
                sums.append(rows[index])
            }
        }
        rows = sums
    }
}
