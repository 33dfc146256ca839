/// One rollup table: the counters of every attributed counter row, summed per hour (or over all
/// time) and per a set of share attributes, numbered by a `GroupTable`. See docs/architecture.md.
///
/// A rollup row exists exactly where at least one attributed counter row that counts something
/// does (locally every counter row does; the shared store also has rows of zeros, which its raw
/// queries leave out too), so a count of distinct advocates over a rollup equals the count over
/// the raw rows.
///
/// Keys are integers (the hour and the group's `id`): adding a batch upserts rows with two small
/// integer keys instead of five text columns. The SQL here is plain SQL (`INSERT ... ON CONFLICT
/// ... DO UPDATE`), which SQLite and PostgreSQL read alike; the tables are made with either's
/// types (`createSQL(_:)`), and the shared store keeps them with its own statements (`SharedRollups`).
public struct Rollup: Sendable, Equatable {
    /// The table's name.
    public let table: String
    public let hourly: Bool
    /// The table numbering the attribute sets this rollup sums per.
    public let groups: GroupTable
    /// Further indexes, each a list of columns.
    public let indexes: [[String]]
    /// Where each row holds its group's attributes (`repeatedAttributes(_:)`), so that a query
    /// filtering on them reads the rollup alone instead of joining every row of it with its groups.
    public let repetition: Repetition

    public enum Repetition: Sendable, Equatable {
        /// Nowhere: a row holds its group's id.
        case none
        /// In both databases, indexed: locally the table is keyed by its groups' further index, its
        /// `id` unique; in the shared store keyed by `id` and indexed as its group table is
        /// (`SQLDialect.keysRowsByAttributes`).
        case indexed
        /// In the shared store only, not indexed: an hourly rollup whose rows over a range of hours,
        /// found by their key, are summed there without a join with every group (schema version
        /// 16, `HourGroupRows`); locally each group of a range is looked up by its key once
        /// (`SQLDialect.sumsRangesPerGroupFirst`), and the rows stay small for the apply.
        case inSharedStore
    }

    /// Whether queries read this rollup's rows joined with their groups though the rows hold the
    /// attributes: while a migration fills them in (`readJoined`).
    private var readsJoined = false

    init(table: String, hourly: Bool, groups: GroupTable, indexes: [[String]], repetition: Repetition = .none) {
        self.table = table
        self.hourly = hourly
        self.groups = groups
        self.indexes = indexes
        self.repetition = repetition
    }

    /// Every rollup, cheapest first within each grain: a query reads the first that has the
    /// columns it needs (`covering(_:hourly:)`).
    public static let all: [Rollup] = [
        Rollup(table: "rollup_places", hourly: false, groups: .places, indexes: []),
        .advocateTotals,
        .advocates,
        .venueAdvocates,
        .campaignAdvocates,
        .shareGroups,
        .hours,
        Rollup(table: "rollup_hour_places", hourly: true, groups: .places, indexes: []),
        .hourGroups,
    ]

    /// Each advocate's counters over all time (schema version 9): `top` over every advocate reads
    /// one row per advocate, whatever its networks and tiers (`Queries.top`).
    public static let advocateTotals = Rollup(table: "rollup_advocate_totals", hourly: false, groups: .advocatesAlone,
                                              indexes: [])

    /// Per advocate, network and tier, over all time: `top` with a network or tier filter, `tiers`
    /// and an advocate's networks read it.
    public static let advocates = Rollup(table: "rollup_advocates", hourly: false, groups: .advocates, indexes: [])

    /// Each advocate's counters at each venue over all time (schema version 11): `top` at one venue
    /// reads one row per advocate there (`Queries.top`), and an advocate's report one per venue.
    public static let venueAdvocates = Rollup(table: "rollup_venue_advocates", hourly: false, groups: .venueAdvocates,
                                              indexes: [])

    /// Each advocate's counters in each campaign over all time (schema version 13): `top` for one
    /// campaign reads one row per advocate in it, as for one venue. Each row holds its advocate
    /// and campaign (the shared store's version 11, local version 18): a campaign has most
    /// advocates, and finding each of its rows by its group took most of `top --campaign`; locally
    /// one campaign's rows are now one range of the table (docs/architecture.md).
    public static let campaignAdvocates = Rollup(table: "rollup_campaign_advocates", hourly: false,
                                                 groups: .campaignAdvocates, indexes: [], repetition: .indexed)

    /// Every share attribute, over all time.
    public static let shareGroups = Rollup(table: "rollup_groups", hourly: false, groups: .shares, indexes: [])

    /// Every share attribute, per hour; in the shared store each row holds them (`HourGroupRows`).
    public static let hourGroups = Rollup(table: "rollup_hour_groups", hourly: true, groups: .shares,
                                          indexes: [["id", "hour"]], repetition: .inSharedStore)

    /// The counters per hour alone: a trend of everything reads an hour's row instead of its groups'.
    public static let hours = Rollup(table: "rollup_hours", hourly: true, groups: .whole, indexes: [])

    /// The rollups a database of an older version may have summed in steps from their `source`
    /// (`RollupBuilds`), by the versions that added them: 9, 11, 13 and 8 (in the shared store, 6,
    /// 7, 10 and 5: `SharedRollupBuilds`).
    public static let built: [Rollup] = [.advocateTotals, .venueAdvocates, .campaignAdvocates, .hours]

    /// The rollups of `built` that the migration bringing in `rollup_builds` (local version 12,
    /// shared store version 8) found: a later one marks its own.
    public static let builtFirst: [Rollup] = [.advocateTotals, .venueAdvocates, .hours]

    /// The first rollup whose groups have every column of `columns`, of those not `building`
    /// (`RollupBuilds`): all-time ones only without a time range (`hourly`), then the hourly ones
    /// (read over every hour, they sum all time too). A `source`, which is never built in steps,
    /// named in `building` has its rows' attributes filled in steps (`HourGroupRows`): it is read
    /// joined with its groups meanwhile.
    static func covering(_ columns: Set<String>, hourly: Bool, building: Set<String> = []) -> Rollup {
        let readable = all.filter { rollup in
            (rollup == rollup.source || !building.contains(rollup.table)) && columns.isSubset(of: rollup.groups.attributes)
        }
        let rollup = readable.first { !$0.hourly && !hourly } ?? readable.first { $0.hourly }!
        return building.contains(rollup.table) ? rollup.readJoined : rollup
    }

    /// This rollup read joined with its groups, whatever its rows hold (`withAttributes(_:)`).
    public var readJoined: Rollup {
        var joined = self
        joined.readsJoined = true
        return joined
    }

    /// The rollup of every share attribute at this rollup's grain (`rollup_groups` or
    /// `rollup_hour_groups`), which holds every counter unit once and is never built in steps.
    public var source: Rollup {
        Rollup.all.first { $0.hourly == hourly && $0.groups == .shares }!
    }

    public var key: [String] { (hourly ? ["hour"] : []) + ["id"] }

    /// Whether this rollup's rows hold their group's attributes in `dialect`'s database (`repetition`).
    public func repeatsAttributes(_ dialect: SQLDialect) -> Bool {
        switch repetition {
        case .none: false
        case .indexed: true
        case .inSharedStore: dialect.isSharedStore
        }
    }

    /// The group attributes this rollup's rows hold in `dialect`'s database.
    public func repeatedAttributes(_ dialect: SQLDialect) -> [String] {
        repeatsAttributes(dialect) ? groups.attributes : []
    }

    /// A FROM item of the table with its groups' attributes in `dialect`'s database: the table
    /// alone for `GroupTable.whole` and where its rows repeat them (unless `readJoined`); else
    /// joined with its groups, its own columns but their key and counters left out.
    public func withAttributes(_ dialect: SQLDialect) -> String {
        let repeats = repeatsAttributes(dialect)
        guard !groups.attributes.isEmpty, !repeats || readsJoined else { return table }
        let rows = repeats ? "(SELECT \((key + Rows.counterNames).joined(separator: ", ")) FROM \(table)) AS \(table)" : table
        return "\(rows) JOIN \(groups.table) USING (id)"
    }

    /// The table and its indexes, with `dialect`'s types.
    public func createSQL(_ dialect: SQLDialect) -> String {
        let counters = Rows.counterNames.map { "\($0) \($0 == "value" ? dialect.valueType : dialect.integerType) NOT NULL" }
        let repeatedAttributes = repeatedAttributes(dialect)
        let indexed = repetition == .indexed
        let keyedByAttributes = keyedByAttributes(dialect)
        let uniqueKey = keyedByAttributes ? "\nCREATE UNIQUE INDEX \(table)_by_key ON \(table) (\(key.joined(separator: ", ")));" : ""
        return """
            CREATE TABLE \(table) (
                \((key.map { "\($0) \(dialect.integerType) NOT NULL" } + repeatedAttributes.map { "\($0) \(dialect.textType) NOT NULL" }
                    + counters).joined(separator: ",\n    ")),
                PRIMARY KEY (\(primaryKey(dialect).joined(separator: ", ")))
            )\(dialect.rollupTableOptions);
            """ + uniqueKey
            + GroupTable.createIndexesSQL(table, indexes + (indexed && !keyedByAttributes ? groups.indexes : []))
    }

    /// Whether the table is keyed by its groups' further index in `dialect`'s database (`Repetition.indexed`).
    private func keyedByAttributes(_ dialect: SQLDialect) -> Bool {
        repetition == .indexed && dialect.keysRowsByAttributes
    }

    /// The columns the table is keyed by in `dialect`'s database: rows are upserted on them (a row
    /// keyed by its attributes also has a unique `id`, but finding it by `id` first cost a second
    /// B-tree seek per row, in another order than the table's).
    public func primaryKey(_ dialect: SQLDialect) -> [String] {
        keyedByAttributes(dialect) ? groups.indexes[0] : key
    }

    /// Adds to the table the columns of the attributes its rows repeat in `dialect`'s database,
    /// where it lacks them: nullable, for rows that get them afterwards (`HourGroupRows`).
    public func addingRepeatedColumnsSQL(_ dialect: SQLDialect) -> String {
        "ALTER TABLE \(table) "
            + repeatedAttributes(dialect).map { "ADD COLUMN IF NOT EXISTS \($0) \(dialect.textType)" }.joined(separator: ", ") + ";"
    }

    /// Makes this rollup and its groups (if it has any but `GroupTable.whole`) again, empty
    /// (dropping them if there), with `dialect`'s types.
    public func remakeEmptySQL(_ dialect: SQLDialect) -> String {
        let groupTable = groups.attributes.isEmpty ? "" : """
            DROP TABLE IF EXISTS \(groups.table);
            \(groups.createSQL(dialect))
            """
        return """
            DROP TABLE IF EXISTS \(table);
            \(groupTable)
            \(createSQL(dialect))
            """
    }

    /// A build step (`RollupBuilds`, `SharedRollupBuilds`), in `dialect`: `bound` finds the last
    /// share group id of the next rows of `source` past the share group id of parameter 1, at most
    /// parameter 2 of them, in id order (`rollup_hour_groups` through its index on (id, hour)), and
    /// how many it found; `building` numbers the attribute sets of the share groups past parameter 1
    /// up to parameter 2 and adds their rows of `source`, all of each group's.
    public func stepSQL(_ dialect: SQLDialect) -> (bound: String, building: [String]) {
        let (from, to) = (dialect.numbered(1), dialect.numbered(2))
        let condition = "g.id > \(from) AND g.id <= \(to)"
        return ("SELECT max(id), count(*) FROM (SELECT id FROM \(source.table) WHERE id > \(from) ORDER BY id LIMIT \(to)) AS step",
                (groups.attributes.isEmpty ? [] : [numberingSQL(GroupTable.shares.table, where: condition)])
                    + [addingSQL(source, where: condition, dialect)])
    }

    /// Numbers the distinct attribute sets of the rows of `numbering` (a table with every attribute
    /// column of this rollup's groups) that `condition` selects (of its rows as `g`), those not
    /// numbered yet.
    func numberingSQL(_ numbering: String, where condition: String) -> String {
        let columns = groups.attributes.joined(separator: ", ")
        return """
            INSERT INTO \(groups.table) (\(columns)) SELECT DISTINCT \(columns) FROM \(numbering) g
            WHERE \(condition) ORDER BY \(columns) ON CONFLICT DO NOTHING
            """
    }

    /// Adds the rows of `source` (a rollup of this one's grain whose groups have every attribute of
    /// this one's, numbered already) that `condition` selects (of its rows as `r` joined with their
    /// groups as `g`), summed per key of this rollup (with the attributes its rows repeat), in the
    /// order of the table's key.
    func addingSQL(_ source: Rollup, where condition: String, _ dialect: SQLDialect) -> String {
        let hour = hourly ? ["r.hour"] : []
        // `GroupTable.whole` has no table: its one group's id is 0 (and it is hourly, `hours`).
        let id = groups.attributes.isEmpty ? nil : "n.id"
        let same = groups.attributes.map { "n.\($0) = g.\($0)" }.joined(separator: " AND ")
        let numbered = id == nil ? "" : " JOIN \(groups.table) n ON \(same)"
        let repeatedAttributes = repeatedAttributes(dialect)
        let carried = repeatedAttributes.map { "n.\($0)" }
        let perKey = (hour + [id].compactMap { $0 }).joined(separator: ", ")
        let order = keyedByAttributes(dialect) ? primaryKey(dialect).map { "n.\($0)" }.joined(separator: ", ") : perKey
        return """
            INSERT INTO \(table) (\((key + repeatedAttributes + Rows.counterNames).joined(separator: ", ")))
            SELECT \((hour + [id ?? "0"] + carried + Rows.counterNames.map { "sum(r.\($0))" }).joined(separator: ", "))
            FROM \(source.table) r JOIN \(source.groups.table) g USING (id)\(numbered)
            WHERE \(condition) GROUP BY \(([perKey] + carried).joined(separator: ", ")) ORDER BY \(order)
            \(addingOnConflict(dialect))
            """
    }

    /// Adds `rows` rows' counters (parameters: each row's key, the attributes it repeats, then its
    /// counters) to the rows with their keys (distinct).
    func upsertSQL(rows: Int, _ dialect: SQLDialect) -> String {
        let columns = key + repeatedAttributes(dialect) + Rows.counterNames
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", ")))
            VALUES \(Rows.values(columns.count, rows: rows))
            \(addingOnConflict(dialect))
            """
    }

    /// The conflict clause of an insert into this table that adds the counters to a row already
    /// there, in `dialect`'s database.
    public func addingOnConflict(_ dialect: SQLDialect) -> String {
        """
        ON CONFLICT (\(primaryKey(dialect).joined(separator: ", "))) DO UPDATE SET
            \(Rows.counterNames.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ",\n    "))
        """
    }
}
