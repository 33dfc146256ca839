/// What differs between the SQL that SQLite (the local database) and PostgreSQL (the shared store)
/// read, so that `QueryText` writes each query once for both.
public struct SQLDialect: Sendable {
    /// `?` (SQLite) or `$1`, `$2`, ... (PostgreSQL).
    let numberedPlaceholders: Bool
    /// The floating-point type to divide in.
    let real: String
    /// Appended to a text column to order it bytewise, as SQLite does by default.
    let bytewise: String
    /// The join that reads its left table first (SQLite's `CROSS JOIN`; PostgreSQL chooses the
    /// order itself).
    let orderedJoin: String
    /// The sum of `value` in thousandths (SQLite stores thousandths; PostgreSQL `numeric` units),
    /// and one row's.
    let valueSum: String
    let rowValue: String
    /// The relations the queries read: every share, every counter row, and the counter rows with
    /// their shares' attributes (orphans left out).
    let shares: String
    let counters: String
    let attributed: String
    /// The fact table's sources (`QueryText.export`): every counter row with `value` in
    /// thousandths, and the relations of shares that attribute them, the first that has the token wins.
    let exportCounters: String
    let exportShares: [String]
    /// The counters not in the rollups yet, with the attributes of their groups, if the dialect has
    /// them; `filtersLiveGroups`: a query filters them as it filters the rollup (else they are
    /// filtered already, and projected on the attributes the answer reads).
    let liveGroups: String?
    let filtersLiveGroups: Bool
    /// Column types of the tables made from shared definitions (`GroupTable`, `Rollup`): a
    /// generated integer key, text, an integer, the `value` sum, and what follows a rollup table's
    /// column list.
    let idType: String
    let textType: String
    let integerType: String
    let valueType: String
    let rollupTableOptions: String
    /// Whether a rollup whose rows repeat their groups' attributes (`Rollup.repeatsAttributes`) is
    /// keyed by its groups' further index (one campaign's rows, then its advocates), with a unique
    /// index on its own key: SQLite, whose WITHOUT ROWID table is one B-tree in key order, so a
    /// campaign's rows are read as one range. PostgreSQL's rows are in a heap either way: there
    /// the table is keyed by its own key and has its groups' indexes.
    let keysRowsByAttributes: Bool
    /// Put before a column compared in a WHERE term so that the term chooses no index: SQLite's
    /// unary `+` (it keeps no statistics here, so between two indexes that each take one equality
    /// it may take the less selective); nothing for PostgreSQL, whose planner has statistics.
    let unindexed: String
    /// Whether an hourly rollup read over a range is summed per group before it is joined with its
    /// groups' attributes: SQLite, which looks each joined row's group up by its key, then does so
    /// once per group instead of once per hour. PostgreSQL hash-joins the range's rows with the
    /// filter's groups instead; summing first would only hide the filter from that join
    /// (docs/shared-store.md, "Ranges joined first").
    let sumsRangesPerGroupFirst: Bool
    /// Whether this is the shared store's dialect, where the rollups of `Rollup.Repetition.inSharedStore`
    /// hold their groups' attributes.
    let isSharedStore: Bool

    /// The local database, through the views `LiveRows` makes over the tables and live rows.
    public static let sqlite = SQLDialect(
        numberedPlaceholders: false, real: "REAL", bytewise: "", orderedJoin: "CROSS JOIN", valueSum: "SUM(value)",
        rowValue: "value",
        shares: "temp.all_shares", counters: "temp.all_counters", attributed: "temp.attributed",
        exportCounters: "(SELECT \(Rows.counterColumns) FROM main.counters "
            + "UNION ALL SELECT \(Rows.counterColumns) FROM temp.live_counters)",
        exportShares: ["main.shares", "temp.live_shares"], liveGroups: "temp.live_groups", filtersLiveGroups: false,
        idType: "INTEGER PRIMARY KEY", textType: "TEXT", integerType: "INTEGER", valueType: "INTEGER",
        rollupTableOptions: " WITHOUT ROWID", keysRowsByAttributes: true, unindexed: "+",
        sumsRangesPerGroupFirst: true, isSharedStore: false)

    /// The shared store's tables (`SharedSchema`). Its rollups hold `value` in `numeric` units, like
    /// its counters (exact, and summed to thousandths the same way). `attributed` leaves out the
    /// rows of zeros that dropping a second node's share of a token leaves in `counters` (they
    /// count nothing, and a rollup row exists only where a counter row counts something). Its live
    /// groups are the rows of the rollup log (schema version 4) whose token has a share, with the
    /// share's attributes: not folded into the rollups yet, and counted in the same snapshot.
    public static let postgres = SQLDialect(
        numberedPlaceholders: true, real: "double precision", bytewise: " COLLATE \"C\"", orderedJoin: "JOIN",
        valueSum: "(SUM(value) * 1000)::bigint", rowValue: "(value * 1000)::bigint",
        shares: "shares", counters: "counters",
        attributed: "(SELECT \(Rows.attributedColumns) FROM shares JOIN counters USING (token) "
            + "WHERE \(Rows.counted)) AS attributed",
        exportCounters: "(SELECT token, hour, "
            + Rows.counterNames.map { $0 == "value" ? "(value * 1000)::bigint AS value" : $0 }.joined(separator: ", ")
            + " FROM counters)",
        exportShares: ["shares"],
        liveGroups: "(SELECT l.hour, s.advocate, s.venue, coalesce(s.campaign, '') AS campaign, s.network, s.tier, "
            + Rows.counterNames.map { "l.\($0)" }.joined(separator: ", ")
            + " FROM rollup_log l JOIN shares s USING (token)) AS logged",
        filtersLiveGroups: true,
        idType: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", textType: "text COLLATE \"C\"", integerType: "bigint",
        valueType: "numeric", rollupTableOptions: " WITH (fillfactor = 70)", keysRowsByAttributes: false, unindexed: "",
        sumsRangesPerGroupFirst: false, isSharedStore: true)

    /// The placeholder of the `index`th parameter (from 1).
    func placeholder(_ index: Int) -> String {
        numberedPlaceholders ? "$\(index)" : "?"
    }

    /// The `index`th parameter (from 1) by its number: `?1` (SQLite) or `$1` (PostgreSQL), for a
    /// statement that reads a parameter more than once or out of order.
    func numbered(_ index: Int) -> String {
        (numberedPlaceholders ? "$" : "?") + String(index)
    }
}
