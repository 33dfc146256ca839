import ShareTrackStore

/// Databases of older schema versions, made from one of the current version (to test the
/// migrations and background builds from them), for the store's tests and the integration tests.
extension Database {
    /// Takes a database of the current version back to version 18: visitor pairs without their
    /// click's time, in the counter rows and kept apart.
    public func backToVersionEighteen() throws {
        try execute("""
            ALTER TABLE counters DROP COLUMN visitor_times; ALTER TABLE visitors DROP COLUMN time;
            PRAGMA user_version = 18
            """)
    }

    /// Takes a database of the current version back to version 17: `backToVersionEighteen`, and
    /// the rollup per advocate and campaign keyed by its groups' ids alone, its rows without their
    /// advocate and campaign.
    public func backToVersionSeventeen() throws {
        try backToVersionEighteen()
        try execute("""
            CREATE TABLE keyed_by_id (
                id INTEGER NOT NULL, shares INTEGER NOT NULL, reach INTEGER NOT NULL, clicks INTEGER NOT NULL,
                unique_clicks INTEGER NOT NULL, bot_clicks INTEGER NOT NULL, conversions INTEGER NOT NULL,
                value INTEGER NOT NULL, PRIMARY KEY (id)
            ) WITHOUT ROWID;
            INSERT INTO keyed_by_id SELECT id, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value
                FROM rollup_campaign_advocates;
            DROP TABLE rollup_campaign_advocates;
            ALTER TABLE keyed_by_id RENAME TO rollup_campaign_advocates;
            PRAGMA user_version = 17
            """)
    }

    /// Takes a database of the current version back to version 16: `backToVersionSeventeen`, with
    /// the share groups indexed by campaign, tier and advocate (version 14's) and by venue, tier,
    /// advocate and campaign (version 16's), without the network at their ends.
    public func backToVersionSixteen() throws {
        try backToVersionSeventeen()
        try execute("""
            DROP INDEX share_groups_by_campaign_tier; DROP INDEX share_groups_by_venue_tier_campaign;
            CREATE INDEX share_groups_by_campaign ON share_groups (campaign, tier, advocate);
            CREATE INDEX share_groups_by_venue_tier ON share_groups (venue, tier, advocate, campaign);
            PRAGMA user_version = 16
            """)
    }

    /// Takes a database of the current version back to version 15: `backToVersionSixteen`, with the
    /// share groups indexed by venue, tier and advocate (version 7's) and by venue, campaign, tier
    /// and advocate (version 15's), not by venue, tier, advocate and campaign.
    public func backToVersionFifteen() throws {
        try backToVersionSixteen()
        try execute("""
            DROP INDEX share_groups_by_venue_tier;
            CREATE INDEX share_groups_by_venue ON share_groups (venue, tier, advocate);
            CREATE INDEX share_groups_by_venue_campaign ON share_groups (venue, campaign, tier, advocate);
            PRAGMA user_version = 15
            """)
    }

    /// Takes a database of the current version back to version 12: `backToVersionEighteen`,
    /// without the rollup per advocate and campaign, its groups, and the share groups' indexes by
    /// campaign and by venue and campaign (with version 7's by venue).
    public func backToVersionTwelve() throws {
        try backToVersionEighteen()
        try execute("""
            DROP TABLE rollup_campaign_advocates; DROP TABLE campaign_advocate_groups; DROP INDEX share_groups_by_campaign_tier;
            DROP INDEX share_groups_by_venue_tier_campaign;
            CREATE INDEX share_groups_by_venue ON share_groups (venue, tier, advocate);
            PRAGMA user_version = 12
            """)
    }

    /// Takes a database of the current version back to version 10: `backToVersionTwelve`, and
    /// without the rollup per advocate and venue, its groups and `rollup_builds`.
    public func backToVersionTen() throws {
        try backToVersionTwelve()
        try execute("""
            DROP TABLE rollup_venue_advocates; DROP TABLE venue_advocate_groups; DROP TABLE rollup_builds;
            PRAGMA user_version = 10
            """)
    }
}
