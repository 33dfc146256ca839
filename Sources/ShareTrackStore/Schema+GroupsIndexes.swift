/// The indexes of `share_groups` that migrations add: at once for a database without share
/// groups, else by a step of the background build each (`Store.buildRollups`).
extension Schema {
    /// Indexes a database may lack, each made by one step of `Store.buildRollups` once its rollups
    /// are complete (the migration that adds one makes it only for a database without share
    /// groups): a `CREATE INDEX` reads every row of its table, 1.4 s at 2M shares in the start's
    /// migration, during which the daemon would not listen (docs/benchmarks.md, round 26).
    static let builtIndexes = [campaignTierIndex, venueTierIndex]

    /// An index of `share_groups` that a migration adds (`builtIndexes`), and those it takes the
    /// place of, dropped once it is made.
    struct GroupsIndex {
        let name: String
        let columns: String
        var replaces: [String] = []

        var sql: String {
            (["CREATE INDEX \(name) ON share_groups (\(columns))"] + replaces.map { "DROP INDEX IF EXISTS \($0)" })
                .joined(separator: ";\n")
        }
    }

    /// Version 14's index: the share groups by campaign, tier and advocate (replaced by version
    /// 17's, and no longer built).
    static let campaignIndex = GroupsIndex(name: "share_groups_by_campaign", columns: "campaign, tier, advocate")

    /// Version 15's index: the share groups by venue, campaign, tier and advocate (replaced by
    /// version 16's, and no longer built).
    static let venueCampaignIndex = GroupsIndex(name: "share_groups_by_venue_campaign",
                                                columns: "venue, campaign, tier, advocate")

    /// Version 16's index: the share groups by venue, tier, advocate and campaign, in place of
    /// version 7's (venue, tier, advocate) and version 15's. `tiers` at a venue still reads its
    /// (tier, advocate) pairs in order; an answer at one venue in one campaign reads the venue's
    /// entries and keeps the campaign's, in the index (docs/benchmarks.md, round 30). Replaced by
    /// version 17's, and no longer built.
    static let venueIndex = GroupsIndex(name: "share_groups_by_venue_tier", columns: "venue, tier, advocate, campaign",
                                        replaces: ["share_groups_by_venue", venueCampaignIndex.name])

    /// Version 17's index by campaign: version 14's with the network at its end, in its place. A
    /// campaign on one network reads its groups' ids in the index alone (at 2M shares 138,889
    /// entries, of which the network keeps 27,704) instead of looking each up in the table to
    /// read its network (docs/benchmarks.md, round 32).
    static let campaignTierIndex = GroupsIndex(name: "share_groups_by_campaign_tier",
                                               columns: "campaign, tier, advocate, network",
                                               replaces: [campaignIndex.name])

    /// Version 17's index by venue: version 16's with the network at its end, in its place and in
    /// that of versions 7's and 15's (which a database may still have where version 16's was not
    /// built yet). It holds every attribute of a share group, so any filter with a venue reads it
    /// alone.
    static let venueTierIndex = GroupsIndex(name: "share_groups_by_venue_tier_campaign",
                                            columns: "venue, tier, advocate, campaign, network",
                                            replaces: [venueIndex.name] + venueIndex.replaces)

    /// The migration that adds indexes of `builtIndexes`: made at once while there are no share
    /// groups, else in the background.
    static func indexesAtOnce(_ indexes: GroupsIndex...) -> Migration {
        .code { database, _ in
            guard try database.prepare("SELECT \(shareGroupsExist)").rows({ $0.int64(0) }).first == 0 else { return }
            for index in indexes { try database.execute(index.sql) }
        }
    }

    /// SQL: whether the database has share groups. A migration makes what it adds at once without
    /// them, and has it built in the background (`Store.buildRollups`) with them.
    static let shareGroupsExist = "EXISTS (SELECT 1 FROM share_groups)"

    /// The names of `builtIndexes` that `database` lacks.
    static func missingIndexes(_ database: Database) throws -> [String] {
        let present = Set(try database.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").rows { $0.string(0) ?? "" })
        return builtIndexes.map(\.name).filter { !present.contains($0) }
    }
}
