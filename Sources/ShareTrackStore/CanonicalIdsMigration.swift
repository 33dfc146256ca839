import ShareTrackCore

/// Schema version 20: the ids stored before ingest kept them in Unicode NFC (2026-12-05,
/// `CanonicalText`) are put in NFC, so that a producer, advocate, venue or campaign is found by the
/// spelling ingest and queries use now. Without it a source stored as `e` and U+0301 had its seqs
/// counted again after the upgrade, and an advocate's earlier shares were under another name.
///
/// A source stored in both spellings becomes one producer: the greater seq, last time and counts
/// (`SourceState.merged(with:)`: both rows are that producer's running totals). Where a share's
/// attributes change, its groups may merge with others, so the rollups and their groups are made again, empty, and built from the
/// counters in the background as version 6's were (`Store.buildRollups`). Most ids are ASCII and
/// NFC already: the statements read only the rows with a character outside ASCII.
enum CanonicalIdsMigration {
    static func run(_ database: Database, _: VisitorKey) throws {
        try canonicalSources(database)
        guard try canonicalShares(database) else { return }
        try database.execute(Schema.rollupsMadeAgainSQL + """

            DELETE FROM rollup_builds;
            \(Schema.advocatesByTierSQL)
            \(Schema.builtIndexes.map { $0.sql + ";" }.joined(separator: "\n"))
            """)
    }

    /// SQL: whether `column` has a character outside ASCII, one of more than a byte (NULL: no).
    /// Comparing lengths scans 2M shares in about 0.5 s, a `GLOB` of such characters in 2 s.
    private static func maybeNotNFC(_ column: String) -> String {
        "length(\(column)) <> length(CAST(\(column) AS BLOB))"
    }

    private static func canonicalSources(_ database: Database) throws {
        let columns = "source, \(Rows.sourceColumns)"
        let rows = try database.prepare("SELECT \(columns) FROM sources WHERE \(maybeNotNFC("source"))")
            .rows { row in (row.string(0) ?? "", SourceState(row: row, at: 1)) }
        let find = try database.prepare("SELECT \(Rows.sourceColumns) FROM sources WHERE source = ?")
        let remove = try database.prepare("DELETE FROM sources WHERE source = ?")
        let replace = try database.prepare(Rows.replaceSourceSQL)
        for (source, state) in rows {
            guard let canonical = CanonicalText.respelled(source) else { continue }
            try find.bind([.text(canonical)])
            let merged = try find.rows { SourceState(row: $0) }.first.map { $0.merged(with: state) } ?? state
            try remove.bind([.text(source)])
            try remove.run()
            try replace.bind(merged.row(of: canonical))
            try replace.run()
        }
    }

    /// Puts every share's advocate, venue and campaign in NFC; returns whether any changed.
    private static func canonicalShares(_ database: Database) throws -> Bool {
        let ids = ["advocate", "venue", "campaign"]
        let rows = try database.prepare("""
            SELECT token, \(ids.joined(separator: ", ")) FROM shares WHERE \(ids.map(maybeNotNFC).joined(separator: " OR "))
            """).rows { row in (row.string(0) ?? "", (1...3).map { row.string(Int32($0)) }) }
        let update = try database.prepare("UPDATE shares SET advocate = ?2, venue = ?3, campaign = ?4 WHERE token = ?1")
        var changed = false
        for (token, values) in rows {
            let respelled = values.map { $0.flatMap(CanonicalText.respelled) }
            guard respelled.contains(where: { $0 != nil }) else { continue }
            try update.bind([.text(token)] + zip(respelled, values).map { .text($0 ?? $1) })
            try update.run()
            changed = true
        }
        return changed
    }
}
