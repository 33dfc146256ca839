import ShareTrackStore

/// The rollup log (schema version 4): what the shipments add to the rollups, waiting to be folded
/// into them, so that shipments of several nodes run in parallel and one node at a time keeps the
/// rollups.
///
/// A shipment appends its counter deltas as the store counts them (a second node's shares and
/// reach dropped, the visitor pairs the store had taken back out: read from the `RETURNING` of its
/// own inserts, exact however many nodes ship at once) to `rollup_log`, unindexed, in its own
/// transaction, and numbers the groups of its shares (so that every share the store holds has its
/// groups, committed with it). A fold (`foldStatement`) deletes the log rows whose token has a
/// share and adds them, summed per hour and group, to every rollup, in one statement: each row is
/// folded once, since its delete and the upserts commit together, and one node folds at a time
/// (`tryFoldLock`; no shipment waits for it but one that renames an advocate). A row whose share
/// is not in the store yet (an orphan), or that a shipment not committed yet wrote, stays for a
/// later fold. Queries add the log rows that have a share to the rollups (`SQLDialect.postgres`'s
/// live groups): in any snapshot each row is either in the log or in the rollups, so answers are
/// exact at every instant.
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

    /// The lock that keeps group numbers and renames apart: every shipment holds it shared (it
    /// numbers its shares' groups), a shipment that renames an advocate (`forget --advocate`)
    /// exclusively, so that no share is inserted under a group it renames away.
    static let groupsLockKey = "hashtext('sharetrack groups')"
    /// The fold's lock, tried (`pg_try_advisory_xact_lock`) by a node about to fold, and taken by a
    /// shipment that renames an advocate, so that a fold never adds to a group being renamed.
    static let foldLockKey = "hashtext('sharetrack fold')"
    static let tryFoldLock = "SELECT pg_try_advisory_xact_lock(\(foldLockKey))"

    /// Starts a shipment: says, for this transaction only, that it ships the way schema version 16
    /// does (its guard: `HourGroupRows`; version 4's was `createSQL`'s), and takes the groups lock
    /// (`renames`: exclusively, and the fold's lock).
    static func startShipment(renames: Bool) -> String {
        "SELECT set_config('sharetrack.shipment_version', '\(HourGroupRows.version)', true), "
            + (renames ? "pg_advisory_xact_lock(\(groupsLockKey)), pg_advisory_xact_lock(\(foldLockKey))"
                       : "pg_advisory_xact_lock_shared(\(groupsLockKey))")
    }

    /// Moves up to `$1` log rows whose token has a share into the rollups, each with the ids of
    /// its share's groups (each group table joined once per statement, `SharedRollups.groupIDs`,
    /// not once per rollup); returns how many rows it moved and how many it found groups for
    /// (always as many: a share's groups are numbered with it).
    static var foldStatement: String {
        let ids = SharedRollups.groupIDs(of: "s")
        return """
            WITH moved AS (
                DELETE FROM rollup_log WHERE ctid = ANY (ARRAY(
                    SELECT l.ctid FROM rollup_log l WHERE EXISTS (SELECT 1 FROM shares s WHERE s.token = l.token) LIMIT $1
                ))
                RETURNING token, hour, \(Rows.counterNames.joined(separator: ", "))
            ), attributed AS (
                SELECT m.hour, \(ids.columns), \(SharedRollups.counters(of: "m")) FROM moved m JOIN shares s USING (token)\(ids.joins)
            )\(SharedRollups.add(from: "attributed", marked: true))
            SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM attributed)
            """
    }
}
