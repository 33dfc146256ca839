import ShareTrackStore

/// The rollup log (schema version 4): what the shipments add to the rollups, waiting to be folded
/// into them, so that shipments of several nodes run in parallel and one node at a time keeps the
/// rollups.
///
/// A shipment appends its counter deltas as the store counts them (a second node's shares and
/// reach dropped, the visitor pairs the store had taken back out: read from the `RETURNING` of its
/// own inserts, exact however many nodes ship at once) to `rollup_log`, unindexed, in its own
/// transaction. A fold (`foldStatement`) deletes the log rows whose token has a share and adds them,
/// summed per hour and group, to every rollup, in one statement: each row is folded once, since
/// its delete and the upserts commit together, and one node folds at a time (`foldLock`, tried,
/// never waited for by a shipment). A row whose share is not in the store yet (an orphan), or
/// that a shipment not committed yet wrote, stays for a later fold. Queries add the log rows that
/// have a share to the rollups (`SQLDialect.postgres`'s live groups): in any snapshot each row is
/// either in the log or in the rollups, so answers are exact at every instant.
enum RollupLog {
    /// The log, the counter rows that a version 3 shipment left as orphans (their counters reach
    /// the rollups when their share arrives), and the guard of version 4: a daemon of version 3
    /// still connected writes the rollups itself under `shipmentLock` and is refused from now on.
    static let createSQL = """
        CREATE TABLE rollup_log (LIKE counters);
        \(SharedRollups.shipmentLock);
        LOCK TABLE shares, counters IN SHARE MODE;
        INSERT INTO rollup_log SELECT * FROM counters c
        WHERE \(Rows.counted) AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.token = c.token);
        \(SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "4", version: 4, keeps: "rollup log"))
        """

    /// Says, for this transaction only, that it ships the way schema version 4 does (`createSQL`).
    static let startShipment = "SELECT set_config('sharetrack.shipment_version', '4', true)"

    /// The fold's lock, tried (`pg_try_advisory_xact_lock`) by a node about to fold, and waited for
    /// by `forget --advocate` (which renames groups) so that a fold never adds to a group being renamed.
    static let foldLockKey = "hashtext('sharetrack fold')"
    static let tryFoldLock = "SELECT pg_try_advisory_xact_lock(\(foldLockKey))"
    static let waitForFoldLock = "SELECT pg_advisory_xact_lock(\(foldLockKey))"

    /// Numbers the attribute sets of the shares of the log's tokens that no group has yet.
    static let addGroups = SharedRollups.addGroups(from: "shares s WHERE s.token IN (SELECT token FROM rollup_log)")

    /// Moves up to `$1` log rows whose token has a share, and whose share's groups exist (the
    /// groups `addGroups` numbered, in an earlier statement), into the rollups; returns how many.
    /// Each group table is joined once per row (`SharedRollups.groupIDs`), not once per rollup.
    static var foldStatement: String {
        let ids = SharedRollups.groupIDs(of: "s")
        return """
            WITH picked AS (
                SELECT l.ctid AS row, \(ids.columns) FROM rollup_log l JOIN shares s USING (token)\(ids.joins)
                LIMIT $1
            ), moved AS (
                DELETE FROM rollup_log l USING picked p WHERE l.ctid = p.row
                RETURNING l.hour, \(GroupTable.all.map { "p." + SharedRollups.idColumn($0) }.joined(separator: ", ")),
                    \(SharedRollups.counters(of: "l"))
            )\(SharedRollups.add(from: "moved"))
            SELECT count(*) FROM moved
            """
    }
}
