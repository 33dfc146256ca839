import ShareTrackCore

/// Per tier, the distinct advocates among the rows of a group table, kept per value of some other
/// attributes (`partition`): what `tiers` over all time counts for a filter of exactly those
/// attributes (and a tier), instead of counting the pairs on every answer (73-89 ms at 2M shares
/// for every advocate).
///
/// A group row is added with the first counter row of its attributes and counters never go back
/// to zero, so the distinct (tier, advocate) pairs of the counter rows a filter selects are those of
/// the group rows it selects (`QueryText.advocateGroups`). Group rows are only ever added, with
/// growing ids, and `forget --advocate` renames an advocate's rows together (to a new pseudonym), so
/// the counts change only by the rows added since the last answer, and only those are read: a row
/// adds one to its (partition, tier) unless an earlier row has its partition values, tier and
/// advocate (one lookup in an index on those columns). Each partition's counts start when it is
/// first asked for (through the index where one starts with the partition). A different database
/// (its `meta.id`) starts again.
final class TierAdvocateCounts {
    let table: GroupTable
    let partition: [String]
    private let newest: Statement
    /// The pairs of the rows after ?1 with the partition values (?2...) that no row up to ?1 has.
    private let added: Statement
    private var database: Int64?
    /// Per partition values asked so far: the last row id the counts hold, and the counts per tier.
    private(set) var counted: [[String]: (through: Int64, perTier: [String: Int64])] = [:]
    /// Whether it keeps any counts.
    var isCounting: Bool { !counted.isEmpty }

    /// The counts `Queries.tiers` keeps: every advocate, per network, per venue, per campaign.
    static func all(_ database: Database) throws -> [TierAdvocateCounts] {
        try [(GroupTable.advocates, []), (.advocates, ["network"]), (.shares, ["venue"]), (.shares, ["campaign"])].map {
            try TierAdvocateCounts(database, table: $0.0, partition: $0.1)
        }
    }

    init(_ database: Database, table: GroupTable, partition: [String]) throws {
        self.table = table
        self.partition = partition
        let selected = partition.enumerated().map { " AND \($1) = ?\(2 + $0)" }.joined()
        let same = (partition + ["tier", "advocate"]).map { "earlier.\($0) = added.\($0)" }.joined(separator: " AND ")
        newest = try database.prepare("SELECT coalesce(max(id), 0) FROM main.\(table.table)")
        added = try database.prepare("""
            SELECT tier, COUNT(*) FROM (
                SELECT DISTINCT tier, advocate FROM main.\(table.table) AS added WHERE id > ?1\(selected)
                    AND NOT EXISTS (SELECT 1 FROM main.\(table.table) AS earlier WHERE \(same) AND earlier.id <= ?1))
            GROUP BY tier
            """)
    }

    /// Whether these counts answer `filter` (over all time, no advocate): it selects `table`'s rows
    /// by exactly the `partition` attributes, and a tier at most.
    func answers(_ filter: QueryFilter) -> Bool {
        QueryText.advocateGroups(filter) == table && Set(Self.selected(filter).keys) == Set(partition)
    }

    /// The attributes besides tier that `filter` selects rows by, and their values.
    private static func selected(_ filter: QueryFilter) -> [String: String] {
        ["venue": filter.venue, "campaign": filter.campaign, "network": filter.network].compactMapValues { $0 }
    }

    /// Per tier, the distinct advocates of the rows `filter` selects (`answers(filter)`), in the
    /// database the caller's read transaction sees, whose `meta.id` is `id`; tiers without one are
    /// left out. `counting` counts them for a filter of every tier, the first time its values are
    /// asked for (`QueryText.storedAdvocatesPerTier`, through the index that starts with the
    /// partition: `share_groups` by venue, or by campaign).
    func perTier(_ filter: QueryFilter, database id: Int64, counting: (QueryFilter) throws -> [String: Int64])
        throws -> [String: Int64]
    {
        if database != id {
            database = id
            counted = [:]
        }
        let values = partition.map { Self.selected(filter)[$0] ?? "" }
        let newest = try newestRow()
        let perTier: [String: Int64]
        if counted[values] == nil, newest > 0 {
            var everyTier = filter
            everyTier.tier = nil
            perTier = try counting(everyTier)
            counted[values] = (newest, perTier)
        } else {
            perTier = try catchUp(values, through: newest)
        }
        return filter.tier.map { tier in perTier.filter { $0.key == tier.rawValue } } ?? perTier
    }

    /// Brings every partition's counts to the rows the caller's read transaction sees, in the
    /// database whose `meta.id` is `id` (for `Queries.keepUp`, after each flush while questions
    /// come): the rows added since the last answer are then a flush's worth, not everything
    /// added since someone last asked (about 1,700 a second at 20,000 events/s, each looked up).
    func catchUp(database id: Int64) throws {
        guard database == id else { return }
        let newest = try newestRow()
        for values in counted.keys { _ = try catchUp(values, through: newest) }
    }

    /// The id of the newest row of the group table the caller's read transaction sees (0: none).
    private func newestRow() throws -> Int64 {
        try newest.rows { $0.int64(0) }.first ?? 0
    }

    /// The counts of the partition `values` (counted before) with the rows up to `newest` added.
    private func catchUp(_ values: [String], through newest: Int64) throws -> [String: Int64] {
        guard var (through, perTier) = counted[values] else { return [:] }
        guard newest > through else { return perTier }
        try added.bind([.integer(through)] + values.map { .text($0) })
        for (tier, count) in try added.rows({ ($0.string(0) ?? "", $0.int64(1)) }) {
            perTier[tier, default: 0] += count
        }
        through = newest
        counted[values] = (through, perTier)
        return perTier
    }
}
