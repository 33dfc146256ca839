import ShareTrackStore

/// Schema version 10: `Rollup.campaignAdvocates`, each advocate's counters in each campaign over
/// all time, which `top` for one campaign reads (one row per advocate in it, instead of every
/// share group of the campaign summed per advocate: 443 ms at 796,460 shares). Made empty with its
/// groups and summed in steps after the migration (`SharedRollupBuilds.addingSQL`), as version 8
/// has the rollups of versions 5-7 summed. A daemon of version 9 still
/// connected is refused at its next shipment and fold, stops and says why.
enum CampaignAdvocates {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 10

    static let createSQL = SharedRollupBuilds.addingSQL(.campaignAdvocates, version: version,
                                                        keeps: "a rollup per advocate and campaign")
}
