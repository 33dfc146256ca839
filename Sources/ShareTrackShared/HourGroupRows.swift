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
/// the attributes of the next rows in key order (hour, then share group), and moves the mark (in
/// `meta`, absent once done) past them. Folds write the attributes of every row they add from then
/// on, so a row past the mark that a fold made holds them already; a rename sets the new name in
/// every row of the renamed groups, and the rows it moves to another group take that group's
/// attributes (`SharedRollups.rename`). Until the fill is done the store's answers read the rows
/// joined with their groups, as before (`SharedRollupBuilds.building` names the table;
/// `Rollup.covering`). A daemon of version 15 still connected would fold rows without the
/// attributes, and a shipment of its that renames an advocate (`forget --advocate`) would leave
/// the old name in them: both guards want version 16 (`RollupHours.startFold`,
/// `RollupLog.startShipment`), so its next shipment or fold is refused, and it stops and says why
/// (an outside audit found the renames: with the shipments let through, such a node's `forget`
/// left the id in these rows).
enum HourGroupRows {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 16
    static let table = Rollup.hourGroups.table
    /// The fill, its mark the key (`hour:id`) of the last row it gave its attributes; its steps
    /// are sized in rows.
    static let fill = MarkedSteps(key: "rollup_hour_groups_filled_through", stepSQL: fillStepSQL)

    /// The attribute columns, where the table lacks them. Version 15's migration adds them too:
    /// its renames write them (`SharedCanonicalIds`).
    static let columnsSQL = Rollup.hourGroups.addingRepeatedColumnsSQL(.postgres)

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(columnsSQL)
        \(fill.markSQL(where: table))
        \(SharedRollups.guardFunctions(version: version, keeps: "the attributes in its hourly rows of share groups"))
        """

    /// One step of the fill: the attributes of the next `$2` rows after the mark `$1` (`hour:id`,
    /// `0` at first), in key order, each found by its `ctid`; returns the last of them (the next
    /// mark) and how many there were. In key order, so that the new versions of an hour's rows,
    /// which mostly leave their page (the attributes do not fit in its free space), are written
    /// together: filled in share group order, each hour's rows were spread over the whole table,
    /// and an answer over 3 days read all of it (`top --since 3d` 552 → 859 ms at 2M shares,
    /// docs/shared-store.md). Counted in rows, as the builds' steps are, and found by their
    /// `ctid`s as an array: joined with the step, PostgreSQL read the whole table (2.0-2.4 s a step
    /// at 6.3M rows).
    private static let fillStepSQL = """
        WITH mark AS (
            SELECT split_part($1, ':', 1)::bigint AS hour, coalesce(nullif(split_part($1, ':', 2), ''), '0')::bigint AS id
        ), step AS MATERIALIZED (
            SELECT r.ctid AS row, r.hour, r.id FROM \(table) r, mark WHERE (r.hour, r.id) > (mark.hour, mark.id)
            ORDER BY r.hour, r.id LIMIT $2
        ), filled AS (
            UPDATE \(table) r SET \(Rollup.hourGroups.repeatedAttributes(.postgres).map { "\($0) = g.\($0)" }.joined(separator: ", "))
            FROM share_groups g WHERE g.id = r.id AND r.ctid = ANY (ARRAY(SELECT row FROM step))
        )
        SELECT (SELECT hour || ':' || id FROM step ORDER BY hour DESC, id DESC LIMIT 1), count(*) FROM step
        """
}
