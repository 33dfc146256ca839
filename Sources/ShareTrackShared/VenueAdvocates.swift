import ShareTrackStore

/// Schema version 7: `Rollup.venueAdvocates`, each advocate's counters at each venue over all time,
/// which `top` at one venue reads (one row per advocate there, instead of every share group of the
/// venue summed per advocate).
///
/// Made like `AdvocateTotals`, with the groups lock and the fold's lock held: its (advocate, venue)
/// pairs numbered from the shares, its rows summed from `rollup_groups`; log rows not folded yet
/// reach it when they are. A daemon of version 6 still connected would neither number its groups
/// nor fold into it: both guards now want version 7 (`RollupLog.startShipment`,
/// `RollupHours.startFold`), so that node is refused, stops and says why.
enum VenueAdvocates {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 7

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey)), pg_advisory_xact_lock(\(RollupLog.foldLockKey));
        \(Rollup.venueAdvocates.remakeSQL(.postgres, numbering: "shares", summing: .shareGroups))
        \(SharedRollups.guardFunctions(version: version, keeps: "a rollup per advocate and venue"))
        """
}
