import ShareTrackStore

/// Schema version 16: each row of `rollup_hour_groups` holds its share group's attributes
/// (`Rollup.Repetition.inSharedStore`), so that an answer over a range of hours sums the range's
/// rows, found by their key, without joining them with every share group. Before, `top` and
/// `tiers` over the last 24 hours hashed all 845,164 share groups of a 2M-share store to join
/// the day's 70,542 rows with them (docs/shared-store.md).
///
/// The migration adds the columns, nullable (a store made at this version has them from version
/// 3's tables, not null), under the groups lock and the fold's lock; the rows a store holds then
/// get their attributes afterwards, in steps, as `tier_advocates` is filled (`fill`, run by
/// `SharedStore.buildRollups` under the fold's lock once the rollups are built): each step sets
/// the attributes of every row of the next share groups, in id order, and moves the mark (in `meta`,
/// absent once done) past them. Folds write the attributes of every row they add from then on, so
/// a row past the mark that a fold made holds them already; a rename sets the new name in every
/// row of the renamed groups, and the rows it moves to another group take that group's attributes
/// (`SharedRollups.rename`). Until the fill is done the store's answers read the rows joined with
/// their groups, as before (`SharedRollupBuilds.building` names the table; `Rollup.covering`).
/// A daemon of version 15 still connected would fold rows without the attributes: the folds'
/// guard wants version 16 (`RollupHours.startFold`), so its next fold is refused, and it stops
/// and says why; shipments are unchanged, and so is their guard.
enum HourGroupRows {
    /// The version whose way of folding the folds' guard lets through.
    static let version = 16
    static let table = Rollup.hourGroups.table
    /// The fill, its mark the last share group whose rows have their attributes.
    static let fill = MarkedSteps(key: "rollup_hour_groups_filled_through", stepSQL: fillStepSQL)

    /// The attribute columns, where the table lacks them. Version 15's migration adds them too:
    /// its renames write them (`SharedCanonicalIds`).
    static let columnsSQL = """
        ALTER TABLE \(table) \(Rollup.hourGroups.groups.attributes.map { "ADD COLUMN IF NOT EXISTS \($0) text COLLATE \"C\"" }
                                  .joined(separator: ", "));
        """

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(columnsSQL)
        \(fill.markSQL(where: table))
        \(SharedRollups.guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "\(version)",
                                      version: version, keeps: "the attributes in its hourly rows of share groups"))
        """

    /// One step of the fill: the attributes of every row of the `$2` share groups after `$1`, in
    /// id order (the rows found by the table's index on `(id, hour)`); returns the last of those
    /// groups and how many there were.
    private static let fillStepSQL = """
        WITH step AS (
            SELECT * FROM share_groups WHERE id > $1 ORDER BY id LIMIT $2
        ), filled AS (
            UPDATE \(table) r SET \(Rollup.hourGroups.groups.attributes.map { "\($0) = step.\($0)" }.joined(separator: ", "))
            FROM step WHERE r.id = step.id
        )
        SELECT coalesce(max(id), 0), count(*) FROM step
        """
}
