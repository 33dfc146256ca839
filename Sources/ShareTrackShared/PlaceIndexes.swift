/// Schema version 13: the share groups' indexes by venue and by campaign end with the network, as
/// the daemon's do since its schema 17: the advocates of a place's share groups with a tier, a
/// network or both are read from the index alone (`QueryText.advocatesMixedAtPlace`, the rows
/// `QueryText.topOfPlaceRows` ranks, `tiers` with a network), not from each group's row.
///
/// Version 12 made its indexes by venue and by campaign (without the network) in the last step of
/// its check of the share groups (`CountedGroups`): where they exist, the migration replaces them
/// at once, under the groups lock (shipments wait meanwhile, about a second at 440,000 share
/// groups); where the check has groups left, its last step makes these instead; a store without
/// share groups has them from version 12's migration.
enum PlaceIndexes {
    /// The share groups by venue and by campaign, each then by tier, advocate and network: for
    /// `storedAdvocatesPerTier` to read a venue's or a campaign's pairs in order (version 12's,
    /// without the network: campaign-3's 84,775 groups, 98 → 34 ms of server time,
    /// docs/shared-store.md), and a network's in the index alone.
    static let indexesSQL = """
        CREATE INDEX IF NOT EXISTS share_groups_by_venue_network ON share_groups (venue, tier, advocate, network);
        CREATE INDEX IF NOT EXISTS share_groups_by_campaign_network ON share_groups (campaign, tier, advocate, network);
        """

    static let createSQL = """
        SELECT pg_advisory_xact_lock(\(RollupLog.groupsLockKey));
        DO $$ BEGIN
            IF to_regclass('share_groups_by_venue') IS NOT NULL THEN
                DROP INDEX share_groups_by_venue, share_groups_by_campaign;
                \(indexesSQL)
            END IF;
        END $$;
        """
}
