import ShareTrackStore

/// Schema version 7: `Rollup.venueAdvocates`, each advocate's counters at each venue over all time,
/// which `top` at one venue reads (one row per advocate there, instead of every share group of the
/// venue summed per advocate): made empty with its groups (`SharedRollups.addingSQL`), summed in
/// steps from version 8 (`SharedRollupBuilds`). A daemon of version 6 still connected is refused
/// at its next shipment and fold, stops and says why.
enum VenueAdvocates {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 7

    static let createSQL = SharedRollups.addingSQL(.venueAdvocates, version: version, keeps: "a rollup per advocate and venue")
}
