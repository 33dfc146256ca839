import ShareTrackStore

/// Schema version 6: `Rollup.advocateTotals`, each advocate's counters over all time, which `top`
/// over every advocate reads (one row per advocate, instead of every advocate's rows per network
/// and tier grouped again).
///
/// Made with the groups lock and the fold's lock held (no shipment numbers groups and no fold runs
/// meanwhile): its advocates numbered from the shares (every share the store holds has its groups),
/// its rows summed from `rollup_advocates`; log rows not folded yet reach it when they are. From
/// then on shipments number its groups and folds add to it, like every rollup (`SharedRollups`). A
/// daemon of version 5 still connected would do neither: both guards now want version 6
/// (`RollupLog.startShipment`, `RollupHours.startFold`), so that node is refused, stops and says why.
enum AdvocateTotals {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 6

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(Rollup.advocateTotals.remakeSQL(.postgres, numbering: "shares", summing: .advocates))
        \(SharedRollups.guardFunctions(version: version, keeps: "a rollup per advocate"))
        """
}
