import ShareTrackStore

/// Schema version 7: `Rollup.venueAdvocates`, each advocate's counters at each venue over all time,
/// which `top` at one venue reads (one row per advocate there, instead of every share group of the
/// venue summed per advocate): its (advocate, venue) pairs numbered from the shares, its rows
/// summed from `rollup_groups` (`SharedRollups.addingSQL`). A daemon of version 6 still connected
/// is refused at its next shipment and fold (`RollupLog.startShipment`, `RollupHours.startFold`
/// say version 7), stops and says why.
enum VenueAdvocates {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 7

    static let createSQL = SharedRollups.addingSQL(.venueAdvocates, summing: .shareGroups, version: version,
                                                   keeps: "a rollup per advocate and venue")
}
