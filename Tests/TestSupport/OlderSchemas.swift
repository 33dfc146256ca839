import ShareTrackStore

/// Databases of older schema versions, made from one of the current version (to test the
/// migrations and background builds from them), for the store's tests and the integration tests.
extension Database {
    /// The first release's schema (version 2), verbatim, with a few rows: visitor ids in clear, REAL values
    /// (one of them the infinite sum the first release let two huge conversions make).
    public static let releaseOneSchema = """
        CREATE TABLE shares (
            token TEXT PRIMARY KEY NOT NULL, advocate TEXT NOT NULL, venue TEXT NOT NULL, campaign TEXT,
            network TEXT NOT NULL, followers INTEGER NOT NULL, tier TEXT NOT NULL, time INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX shares_by_advocate ON shares (advocate, time);
        CREATE TABLE counters (
            token TEXT NOT NULL, hour INTEGER NOT NULL, shares INTEGER NOT NULL DEFAULT 0,
            reach INTEGER NOT NULL DEFAULT 0, clicks INTEGER NOT NULL DEFAULT 0,
            unique_clicks INTEGER NOT NULL DEFAULT 0, bot_clicks INTEGER NOT NULL DEFAULT 0,
            conversions INTEGER NOT NULL DEFAULT 0, value REAL NOT NULL DEFAULT 0, PRIMARY KEY (token, hour)
        ) WITHOUT ROWID;
        CREATE TABLE visitors (
            token TEXT NOT NULL, visitor TEXT NOT NULL, PRIMARY KEY (token, visitor)
        ) WITHOUT ROWID;
        CREATE TABLE sources (
            source TEXT PRIMARY KEY NOT NULL, highest_seq INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, duplicates INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('generation', 4);
        INSERT INTO meta (key, value) VALUES ('id', 77);
        INSERT INTO shares VALUES ('tok-a', 'ann', 'bar', NULL, 'instagram', 1200, 'micro', 1795809600);
        INSERT INTO counters VALUES ('tok-a', 498836, 1, 1200, 3, 2, 1, 2, 19.99);
        INSERT INTO counters VALUES ('tok-a', 498838, 0, 0, 1, 1, 0, 1, 0.1);
        INSERT INTO counters VALUES ('tok-b', 498837, 0, 0, 1, 1, 0, 2, 9e999);
        INSERT INTO visitors VALUES ('tok-a', 'visitor-in-clear-1');
        INSERT INTO visitors VALUES ('tok-a', 'visitor-in-clear-2');
        INSERT INTO visitors VALUES ('tok-a', 'visitor-in-clear-3');
        INSERT INTO visitors VALUES ('tok-b', 'visitor-in-clear-1');
        INSERT INTO sources VALUES ('kiosk', 9, 1795809700, 8, 1, 0);
        PRAGMA user_version = 2;
        """

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
