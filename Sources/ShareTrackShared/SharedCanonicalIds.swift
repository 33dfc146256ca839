import ShareTrackCore
import ShareTrackStore

/// Schema version 15: the ids that nodes of before 2026-12-05 shipped as they were sent (`e` and
/// U+0301 for `é`) are put in Unicode NFC, as ingest keeps them since (`CanonicalText`) and as the
/// local database's version 20 did (`CanonicalIdsMigration`). Before it, such an id's rows were an
/// entry of their own in the store, which a filter, `advocate` or `forget` in the composed
/// spelling did not find.
///
/// Each advocate, venue and campaign spelled otherwise than in NFC is renamed to its NFC
/// spelling with the statements of `forget --advocate` (`SharedRollups.rename`), all of a column
/// at once: where the renamed groups are groups already, they merge, their rollup rows summed
/// (rollups being built start again). Two spellings of one NFC id that are both not in it (rare:
/// marks in another order) are renamed in rounds, one of them per round, so that no two groups
/// become one in a statement. A source is renamed in each node's row, merged with the row of its
/// NFC spelling if the node has one: the greater seq, time and counts
/// (`SourceState.merged(with:)`; both are the producer's running totals). The rollup log holds
/// tokens, the visitor pairs tokens and hashes.
///
/// The migration holds the groups lock and the fold's lock (no shipment numbers groups, no fold
/// runs meanwhile), and the shipments' guard wants version 15 from then on: a node of before
/// 2026-12-05 still connected would ship ids as sent, so its next shipment is refused (and so is
/// one of schema versions 12-14, whose shipments may hold ids in NFC but cannot say so); folds are
/// unchanged, and so is their guard. Most ids are ASCII: only the ids with a character outside it are read.
enum SharedCanonicalIds {
    /// The version whose way of shipping the shipments' guard let through until version 16
    /// (`HourGroupRows`).
    static let version = 15

    /// The migration's SQL: the locks a shipment that renames takes, the setting a fold makes (a
    /// venue's or a campaign's rename adds to `rollup_hour_places`, whose guard wants it), the
    /// columns of version 16 that the renames write (`HourGroupRows`), and the shipments' guard;
    /// `run` does the rest in the same transaction.
    static let startSQL = RollupLog.startShipment(renames: true) + ";\n" + RollupHours.startFold + ";\n"
        + HourGroupRows.columnsSQL + "\n"
        + SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "\(version)", version: version,
                                      keeps: "ids in NFC")

    static func run(_ connection: PostgresConnection) throws(PostgresError) {
        let columns = ["advocate", "venue", "campaign"]
        var found: [[(old: String, new: String)]] = []
        for column in columns { found.append(try renames(column, in: "shares", connection)) }
        if found.contains(where: { !$0.isEmpty }) {
            // Statistics first: a store restored from a dump has none until autovacuum's next
            // pass, and the renames planned without them took 39 s instead of 6 (docs/shared-store.md).
            try connection.execute("ANALYZE shares, tier_advocates, "
                                   + (GroupTable.all.map(\.table) + Rollup.all.map(\.table)).joined(separator: ", "))
        }
        for (column, renames) in zip(columns, found) {
            for round in rounds(renames) {
                try SharedRollups.rename(column, round, on: connection)
            }
        }
        for (spelling, canonical) in try renames("source", in: "sources", connection) {
            try connection.query(mergeSourceSQL, [spelling, canonical])
        }
    }

    /// Each distinct value of `column` in `table` that is not in NFC, with its NFC spelling.
    private static func renames(_ column: String, in table: String, _ connection: PostgresConnection)
        throws(PostgresError) -> [(old: String, new: String)]
    {
        let found = try connection.query("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) ~ '[^\\x01-\\x7f]'")
        return (0..<found.count).compactMap { row in
            found.string(row, 0).flatMap { spelling in CanonicalText.respelled(spelling).map { (spelling, $0) } }
        }
    }

    /// `renames` in rounds, each with one rename to each new id (all in NFC, where Swift's
    /// canonical equality is that of their bytes).
    private static func rounds(_ renames: [(old: String, new: String)]) -> [[(old: String, new: String)]] {
        var rounds: [[(old: String, new: String)]] = []
        var taken: [String: Int] = [:]
        for rename in renames {
            let round = taken[rename.new, default: 0]
            taken[rename.new] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(rename)
        }
        return rounds
    }

    /// Source `$1`'s rows renamed `$2`, each merged with its node's row of `$2` if there is one.
    private static let mergeSourceSQL = """
        WITH renamed AS (DELETE FROM sources WHERE source = $1 RETURNING *)
        \(SourceRows.upsertSQL(node: "node", source: "$2", from: "renamed") { "greatest(o.\($0), excluded.\($0))" })
        """
}
