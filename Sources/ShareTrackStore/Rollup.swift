/// One rollup table: the counters of every attributed counter row, summed per hour (or over all
/// time) and per some of the attributes of the row's share. See docs/architecture.md.
///
/// A rollup row exists exactly where at least one attributed counter row does (every counter row
/// holds a non-zero counter), so a count of distinct advocates over a rollup equals the count
/// over the raw rows. A share without a campaign is stored with campaign `''` (no campaign id is
/// empty), since key columns cannot be NULL.
///
/// The SQL here is plain SQL (`INSERT ... ON CONFLICT ... DO UPDATE`, `GROUP BY`), which SQLite and
/// PostgreSQL read alike.
struct Rollup: Sendable {
    /// The table's name.
    let table: String
    let hourly: Bool
    /// The share attributes in the key, in primary-key order (after `hour` if hourly).
    let attributes: [String]
    /// Further indexes, each a list of columns.
    let indexes: [[String]]

    /// Every rollup, cheapest first within each grain: a query reads the first that has the
    /// columns it needs (`covering(_:hourly:)`).
    ///
    /// The key orders put the column a query most often selects on first: `hour` for a range,
    /// `venue` for totals per place, `advocate` for `top`. Each applied batch upserts one row per
    /// group it touches into every rollup, so an all-time rollup keyed by advocate and venue (about
    /// as many groups per batch as counter rows) is left out: it would double the cost of applying
    /// a batch. All-time sums by advocate and venue or campaign read the hourly groups instead.
    static let all: [Rollup] = [
        Rollup(table: "rollup_hour_places", hourly: true, attributes: ["venue", "campaign", "network", "tier"], indexes: []),
        Rollup(table: "rollup_hour_groups", hourly: true, attributes: ["advocate", "venue", "campaign", "network", "tier"],
               indexes: [["advocate", "hour"]]),
        Rollup(table: "rollup_places", hourly: false, attributes: ["venue", "campaign", "network", "tier"], indexes: []),
        Rollup(table: "rollup_advocates", hourly: false, attributes: ["advocate", "network", "tier"], indexes: []),
    ]

    /// Every share attribute a rollup can hold, in the order of `GroupKey`.
    static let allAttributes = ["advocate", "venue", "campaign", "network", "tier"]

    /// The first rollup whose key has every column of `columns`: all-time ones only without a
    /// time range (`hourly`), then the hourly ones (read over every hour, they sum all time too).
    static func covering(_ columns: Set<String>, hourly: Bool) -> Rollup {
        all.first { !$0.hourly && !hourly && columns.isSubset(of: $0.attributes) }
            ?? all.first { $0.hourly && columns.isSubset(of: $0.attributes) }!
    }

    var key: [String] { (hourly ? ["hour"] : []) + attributes }

    /// The table and its indexes.
    var createSQL: String {
        let keyColumns = key.map { $0 == "hour" ? "hour INTEGER NOT NULL" : "\($0) TEXT NOT NULL" }
        let counters = Rows.counterNames.map { "\($0) INTEGER NOT NULL" }
        return """
            CREATE TABLE \(table) (
                \((keyColumns + counters).joined(separator: ",\n    ")),
                PRIMARY KEY (\(key.joined(separator: ", ")))
            ) WITHOUT ROWID;
            """ + indexes.map { columns in
                "\nCREATE INDEX \(table)_by_\(columns.joined(separator: "_")) ON \(table) (\(columns.joined(separator: ", ")));"
            }.joined()
    }

    /// Adds one row's counters (parameters: the key, then the counters) to the row with its key.
    var upsertSQL: String {
        let columns = key + Rows.counterNames
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET
                \(Rows.counterNames.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ",\n    "))
            """
    }

    /// The key of the row that `group` in `hour` adds to: the hour if hourly, then the attributes.
    func key(hour: Int64, _ group: GroupKey) -> RollupKey {
        RollupKey(hour: hourly ? hour : 0, attributes: attributes.map { attribute in
            switch attribute {
            case "advocate": group.advocate
            case "venue": group.venue
            case "campaign": group.campaign
            case "network": group.network
            default: group.tier
            }
        })
    }
}

/// A rollup row's key: the hour (0 in an all-time rollup) and the attribute values in key order.
struct RollupKey: Hashable, Comparable {
    var hour: Int64
    var attributes: [String]

    static func < (lhs: RollupKey, rhs: RollupKey) -> Bool {
        lhs.hour != rhs.hour ? lhs.hour < rhs.hour : lhs.attributes.lexicographicallyPrecedes(rhs.attributes)
    }
}
