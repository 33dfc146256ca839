import ShareTrackStore

/// Schema version 6: `Rollup.advocateTotals`, each advocate's counters over all time, which `top`
/// over every advocate reads (one row per advocate, instead of every advocate's rows per network
/// and tier grouped again): made empty with its groups (`SharedRollups.addingSQL`), summed in
/// steps from version 8 (`SharedRollupBuilds`). A daemon of version 5 still connected is refused
/// at its next shipment and fold, stops and says why.
enum AdvocateTotals {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 6

    static let createSQL = SharedRollups.addingSQL(.advocateTotals, version: version, keeps: "a rollup per advocate")
}
