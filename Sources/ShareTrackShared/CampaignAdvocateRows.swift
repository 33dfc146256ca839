import ShareTrackStore

/// Schema version 11: the rows of `Rollup.campaignAdvocates` hold their advocate and campaign
/// (`Rollup.repeatsAttributes`), indexed by campaign, so that `top` for one campaign reads
/// that campaign's rows of the rollup alone. Before, most of its time went to joining the whole
/// rollup with the campaign's groups: at 796,460 shares, 440,826 rows hashed against 72,300
/// (docs/shared-store.md). The rollup is made again, empty, with its groups, and summed in steps
/// after the migration (`SharedRollupBuilds.addingSQL`), as version 10 made it; meanwhile `top`
/// for one campaign sums the campaign's share groups. A daemon of version 10 still connected, whose
/// folds would add rows without the attributes, is refused at its next shipment and fold, stops
/// and says why.
enum CampaignAdvocateRows {
    /// The version whose way of shipping and folding the guards let through.
    static let version = 11

    static let createSQL = SharedRollupBuilds.addingSQL(
        .campaignAdvocates, version: version, keeps: "the advocate and campaign in the rows of its rollup per advocate and campaign")
}
