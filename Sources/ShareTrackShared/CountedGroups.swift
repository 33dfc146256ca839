import ShareTrackCore
import ShareTrackStore

/// Schema version 12: every share group has a counted row, so that `tiers` at a venue or in a
/// campaign counts its advocates in `share_groups` (`QueryText.storedAdvocatesPerTier`), as the
/// daemon does locally, instead of finding the distinct advocates of every rollup row there.
///
/// Until version 12 a shipment numbered the groups of the shares it carried before inserting
/// them, so a share that lost to another node's (its token shipped first elsewhere) left groups
/// that no stored share has, and no counted row either. Shipments now number the groups of the
/// stored shares, after inserting theirs (`SharedStore.ship`). The share groups a store holds at
/// the migration are checked in steps after it, in id order (`check`, run by
/// `SharedStore.buildRollups` once the rollups are built and `tier_advocates` filled, under the
/// fold's lock and the groups lock held exclusively, so that no shipment numbers or finds a group
/// meanwhile): each group of the step that no stored share has is deleted, and the last step
/// makes the indexes by venue and by campaign (`PlaceIndexes`). A deleted group has no rollup rows:
/// folds and builds add a share's counters to the groups of its stored share. The check's mark is
/// a row of `meta`, absent once done; until then `tiers` finds the distinct advocates of the
/// rollup rows as before. A daemon of version 11 still connected would number a losing share's
/// groups: both guards want version 12, so its next shipment and fold are refused.
enum CountedGroups {
    /// The version whose way of folding the folds' guard let through until version 16
    /// (`HourGroupRows`), and of shipping the shipments' guard until version 15 (`SharedCanonicalIds`).
    static let version = 12
    /// What `SharedRollupBuilds.building` names while the check has groups left.
    static let table = GroupTable.shares.table
    /// Whether `QueryText.storedAdvocatesPerTier` counts `tiers`' advocates for `filter` in
    /// `share_groups`: over all time, at a venue or in a campaign, without an advocate.
    static func answers(_ filter: QueryFilter) -> Bool {
        !filter.isRanged && filter.advocate == nil && QueryText.advocateGroups(filter) == .shares
    }

    /// The check, its mark the last share group it reached. Each step holds the groups lock
    /// exclusively; the last one makes the indexes.
    static let check = MarkedSteps(key: "share_groups_checked_through", stepSQL: checkStepSQL,
                                   before: "SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey))", done: PlaceIndexes.indexesSQL)

    /// The check where the store has share groups; the indexes at once where it has none.
    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(check.markSQL(where: "share_groups"))
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM share_groups) THEN
                \(PlaceIndexes.indexesSQL)
            END IF;
        END $$;
        \(SharedRollups.guardFunctions(version: version, keeps: "only the groups of stored shares"))
        """

    /// One step of the check: of the `$2` share groups after `$1`, in id order, deletes those that
    /// no stored share has; returns the last of those groups and how many there were.
    private static let checkStepSQL = """
        WITH step AS (
            SELECT * FROM share_groups WHERE id > $1 ORDER BY id LIMIT $2
        ), deleted AS (
            DELETE FROM share_groups g USING step
            WHERE g.id = step.id AND NOT EXISTS (SELECT 1 FROM shares s WHERE \(SharedRollups.share("s", has: "step", of: .shares)))
        )
        SELECT coalesce(max(id), 0), count(*) FROM step
        """
}
