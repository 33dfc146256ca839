import ShareTrackStore

/// Schema version 6: `Rollup.advocateTotals`, each advocate's counters over all time, which `top`
/// over every advocate reads (one row per advocate, instead of every advocate's rows per network
/// and tier grouped again): its advocates numbered from the shares, its rows summed from
/// `rollup_advocates` (`SharedRollups.addingSQL`). A daemon of version 5 still connected is refused
/// at its next shipment and fold, stops and says why.
enum AdvocateTotals {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 6

    static let createSQL = SharedRollups.addingSQL(.advocateTotals, summing: .advocates, version: version,
                                                   keeps: "a rollup per advocate")
}
