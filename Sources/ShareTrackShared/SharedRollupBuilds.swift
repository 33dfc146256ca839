import ShareTrackStore

/// Schema version 8: the rollups that versions 5-7 added (`Rollup.builtFirst`: per hour alone, per
/// advocate alone, per advocate and venue) are summed in steps after the migration, as the local
/// database's are (`RollupBuilds`), instead of in the migration's one transaction, during which
/// no node shipped or folded (10.6 s at 687,000 shares); so are version 10's (per advocate and
/// campaign, `CampaignAdvocates`) and version 11's (the same with its attributes, `CampaignAdvocateRows`).
///
/// Versions 5-7 make their rollup and its groups empty; this one's migration puts a row in
/// `rollup_builds` for each of them that is empty where its source (`Rollup.source`:
/// `rollup_groups` or `rollup_hour_groups`) is not, with `built_through`, the last share group id
/// (`share_groups.id`) whose counters it holds: 0. A step (`SharedStore.buildRollups(rows:)`),
/// run by whichever node holds the fold's lock, numbers the rollup's groups of the next share
/// groups and adds their rows of the source, and moves the mark past them; the step that finds
/// fewer rows than it asked for does every group left and deletes the row.
///
/// Exact while nodes ship and fold, because such a rollup always holds the source's rows of
/// exactly the share groups up to its mark: a fold adds to it only the log rows of those groups
/// (`SharedRollups.add(from:marked:)`; the others reach the source, as every other rollup), and
/// steps and folds take turns under the fold's lock. A share group numbered later gets an id past
/// every mark, so its counters enter through a step. Its groups may not be numbered yet past the
/// mark, so a fold joins their tables as optional. A rename that merges share groups moves rows
/// of the source from one group id to another, maybe across a mark: it starts the builds again
/// (`restartSQL`). Meanwhile queries read the other rollups (`Rollup.covering`'s `building`).
/// A daemon of version 7 still connected would fold into the rollups whole: both guards want
/// version 8, so its next shipment and fold are refused.
enum SharedRollupBuilds {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 8

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        CREATE TABLE rollup_builds (rollup text PRIMARY KEY, built_through bigint NOT NULL);
        \(Rollup.builtFirst.map(markSQL).joined(separator: "\n"))
        \(SharedRollups.guardFunctions(version: version, keeps: "rollups built in steps"))
        """

    /// Has `rollup` summed in steps where it is empty and its source is not (from its start again
    /// if it was being built: a later migration made it again).
    static func markSQL(_ rollup: Rollup) -> String {
        """
        INSERT INTO rollup_builds (rollup, built_through) SELECT '\(rollup.table)', 0
        WHERE NOT EXISTS (SELECT 1 FROM \(rollup.table)) AND EXISTS (SELECT 1 FROM \(rollup.source.table))
        ON CONFLICT (rollup) DO UPDATE SET built_through = 0;
        """
    }

    /// The migration to `version` that makes the all-time `rollup` (again), empty, with its groups
    /// (`SharedRollups.addingSQL`), and has it summed in steps after it (`CampaignAdvocates`,
    /// `CampaignAdvocateRows`).
    static func addingSQL(_ rollup: Rollup, version: Int, keeps: String) -> String {
        SharedRollups.addingSQL(rollup, version: version, keeps: keeps) + "\n" + markSQL(rollup)
    }

    /// What is being built, as `connection` sees it: the rollups, in the order of `Rollup.all`,
    /// then `tier_advocates` while it is being filled (`TierAdvocates`), then `share_groups` while
    /// it is being checked (`CountedGroups`), then `rollup_hour_groups` while its rows' attributes
    /// are being filled (`HourGroupRows`).
    static func building(_ connection: PostgresConnection) throws(PostgresError) -> [String] {
        let marks = try marks(connection)
        return Rollup.all.map(\.table).filter { marks[$0] != nil }
            + (try TierAdvocates.fill.remains(connection) ? [TierAdvocates.table] : [])
            + (try CountedGroups.check.remains(connection) ? [CountedGroups.table] : [])
            + (try HourGroupRows.fill.remains(connection) ? [HourGroupRows.table] : [])
    }

    /// Each rollup being built and its mark, as `connection` sees them.
    static func marks(_ connection: PostgresConnection) throws(PostgresError) -> [String: Int64] {
        let held = try connection.query("SELECT rollup, built_through FROM rollup_builds")
        return Dictionary(uniqueKeysWithValues: (0..<held.count).map { (held.string($0, 0) ?? "", held.int64($0, 1)) })
    }

    /// The mark of `rollup` in a fold (nothing being built: every share group).
    static func mark(_ rollup: Rollup) -> String {
        "coalesce((SELECT built_through FROM rollup_builds WHERE rollup = '\(rollup.table)'), \(Int64.max))"
    }

    /// `, name AS (...)` steps of a rename's `WITH` whose `merged` merges share groups: if it
    /// merges any, every rollup being built is emptied and its mark set back to 0.
    static var restartSQL: String {
        let merging = "EXISTS (SELECT 1 FROM merged)"
        return Rollup.built.map { rollup in
            """
            , \(rollup.table)_restarted AS (
                DELETE FROM \(rollup.table)
                WHERE \(merging) AND EXISTS (SELECT 1 FROM rollup_builds WHERE rollup = '\(rollup.table)')
            )
            """
        }.joined() + """
            , builds_restarted AS (
                UPDATE rollup_builds SET built_through = 0 WHERE \(merging)
            )
            """
    }
}
