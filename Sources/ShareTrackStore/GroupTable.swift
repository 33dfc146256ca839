/// A table that numbers the distinct sets of some share attributes (`id INTEGER PRIMARY KEY`), so
/// that the `Rollup` tables are keyed by a small integer. A row is added the first time a counter
/// row of a share with those attributes enters a rollup, and is never deleted (`forget --advocate`
/// renames its advocate in place; the shared store numbers a share's attributes when the share
/// arrives, see `SharedRollups`). A share without a campaign has campaign `''` (no campaign id is
/// empty), since these columns are a unique key.
public struct GroupTable: Sendable, Equatable {
    public let table: String
    /// The share attributes, in the order of `GroupKey` (and of the unique index).
    public let attributes: [String]
    /// Further indexes, each a list of columns.
    public let indexes: [[String]]

    init(table: String, attributes: [String], indexes: [[String]] = []) {
        self.table = table
        self.attributes = attributes
        self.indexes = indexes
    }

    /// Every attribute: a rollup row per advocate, venue, campaign, network and tier.
    public static let shares = GroupTable(table: "share_groups", attributes: GroupKey.attributes)
    /// Per venue, campaign, network and tier.
    static let places = GroupTable(table: "place_groups", attributes: ["venue", "campaign", "network", "tier"])
    /// Per advocate, network and tier.
    static let advocates = GroupTable(table: "advocate_groups", attributes: ["advocate", "network", "tier"])
    /// Per advocate alone (schema version 9): one row per advocate, whatever its networks and tiers.
    static let advocatesAlone = GroupTable(table: "advocate_alone_groups", attributes: ["advocate"])
    /// Per advocate and venue (schema version 11): an advocate's venues by the unique index, a
    /// venue's advocates by the other.
    static let venueAdvocates = GroupTable(table: "venue_advocate_groups", attributes: ["advocate", "venue"],
                                           indexes: [["venue", "advocate"]])
    /// Per advocate and campaign (schema version 13), indexed likewise: a campaign's advocates by
    /// the second index.
    static let campaignAdvocates = GroupTable(table: "campaign_advocate_groups", attributes: ["advocate", "campaign"],
                                              indexes: [["campaign", "advocate"]])

    public static let all: [GroupTable] = [.shares, .places, .advocates, .advocatesAlone, .venueAdvocates,
                                           .campaignAdvocates]

    /// No attribute: the one group of every share, id 0, kept in no table (not in `all`). Its
    /// rollup is the counters summed per hour alone (`rollup_hours`), which a trend of everything reads.
    public static let whole = GroupTable(table: "", attributes: [])

    /// This table's position in `all` (nil: `whole`, whose id is always 0).
    var index: Int? { Self.all.firstIndex { $0.table == table } }

    /// The table and its indexes, with `dialect`'s types.
    public func createSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE \(table) (
            id \(dialect.idType),
            \(attributes.map { "\($0) \(dialect.textType) NOT NULL" }.joined(separator: ",\n    "))
        );
        CREATE UNIQUE INDEX \(table)_by_key ON \(table) (\(attributes.joined(separator: ", ")));
        """ + Self.createIndexesSQL(table, indexes)
    }

    /// `indexes` (each a list of columns) of `table`, each named after its columns.
    static func createIndexesSQL(_ table: String, _ indexes: [[String]]) -> String {
        indexes.map { columns in
            "\nCREATE INDEX \(table)_by_\(columns.joined(separator: "_")) ON \(table) (\(columns.joined(separator: ", ")));"
        }.joined()
    }
}
