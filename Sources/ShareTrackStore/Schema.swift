import ShareTrackCore

/// The database schema, versioned with `PRAGMA user_version` and upgraded by migrations.
///
/// Counters are keyed by share token and hour only; a share's advocate, venue, campaign, network
/// and tier live in `shares` and are joined at query time. A click that arrives before its share
/// (an orphan) is therefore stored like any other and is attributed by the join as soon as the
/// share row exists.
///
/// `meta` holds the generation of the last batch applied (`generation`) and, from version 2, a
/// random `id` that the database's `Journal` carries too; from version 3 the sum of every `value`
/// (`value_total`, in thousandths, see `Money`).
///
/// Version 3 stores no identifier of a visitor in clear: `visitors` holds each visitor's keyed hash
/// (`VisitorKey`) as an INTEGER and the hour of the click that stored it, and a `value` is INTEGER
/// thousandths (`VisitorHashMigration`).
///
/// From version 5 the `Rollup` tables sum the attributed counters per hour (or all time) and share
/// attributes, so that queries read groups instead of every counter row. A database that already
/// holds shares gets them built in the background (`Store.buildRollups`): `rollup_progress` holds
/// the last share token whose counters are in the rollups, and is empty once all are;
/// `meta.advocates_renamed` counts the advocates `forget` renamed (see `AttributionCache`).
///
/// Version 6 keys the rollups by integer ids of share groups (`GroupTable`) instead of the text
/// attributes; its migration drops version 5's rollups and has them built again in the background.
/// Version 7 indexes the group tables by tier and by venue and tier, for `tiers`' advocate counts.
/// Version 8 adds the rollup per hour alone, version 9 the one per advocate alone. Version 10
/// keeps the visitor pairs in their counter rows (`VisitorHashes`, `VisitorColumnMigration`).
/// Version 11 adds the rollup per advocate and venue, version 12 `rollup_builds`, which has these
/// three summed in the background for a database that had share groups before (`RollupBuilds`).
/// Version 13 adds the rollup per advocate and campaign, summed in the background likewise;
/// version 14 indexes the share groups by campaign and tier, for `tiers`' advocate counts (in the
/// background for a database that has share groups: `builtIndexes`), and version 15 by venue,
/// campaign and tier, for `top` and `tiers` at one venue in one campaign; version 16 indexes them
/// by venue, tier, advocate and campaign instead of versions 7's and 15's (`venueIndex`); version 17
/// adds the network at the ends of the indexes by campaign and by venue (`campaignTierIndex`,
/// `venueTierIndex`), so that a filter with a network reads them alone.
enum Schema {
    enum Migration: Sendable {
        case sql(String)
        case code(@Sendable (Database, VisitorKey) throws -> Void)
    }

    /// Migration `n` takes the schema from version `n` to `n + 1`.
    static let migrations: [Migration] = [
        .sql("""
        CREATE TABLE shares (
            token TEXT PRIMARY KEY NOT NULL,
            advocate TEXT NOT NULL,
            venue TEXT NOT NULL,
            campaign TEXT,
            network TEXT NOT NULL,
            followers INTEGER NOT NULL,
            tier TEXT NOT NULL,
            time INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX shares_by_advocate ON shares (advocate, time);
        CREATE TABLE counters (
            token TEXT NOT NULL,
            hour INTEGER NOT NULL,
            shares INTEGER NOT NULL DEFAULT 0,
            reach INTEGER NOT NULL DEFAULT 0,
            clicks INTEGER NOT NULL DEFAULT 0,
            unique_clicks INTEGER NOT NULL DEFAULT 0,
            bot_clicks INTEGER NOT NULL DEFAULT 0,
            conversions INTEGER NOT NULL DEFAULT 0,
            value REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (token, hour)
        ) WITHOUT ROWID;
        CREATE TABLE visitors (
            token TEXT NOT NULL,
            visitor TEXT NOT NULL,
            PRIMARY KEY (token, visitor)
        ) WITHOUT ROWID;
        CREATE TABLE sources (
            source TEXT PRIMARY KEY NOT NULL,
            highest_seq INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            duplicates INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('generation', 0);
        """),
        .sql("""
        INSERT INTO meta (key, value) VALUES ('id', random());
        """),
        .code(VisitorHashMigration.run),
        // `sources` pages by last seen, newest first.
        .sql("""
        CREATE INDEX sources_by_last_seen ON sources (last_seen);
        """),
        // Version 5's rollups (keyed by text columns) are created by version 6's migration.
        .sql("""
        CREATE TABLE rollup_progress (built_through TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('advocates_renamed', 0);
        """),
        // The rollups keyed by integer group ids, built again from the counters in the background
        // (replacing whatever rollups the database holds).
        .sql((Rollup.all.map(\.table) + GroupTable.all.map(\.table) + ["rollup_hour_places", "rollup_hour_groups"])
            .map { "DROP TABLE IF EXISTS \($0);\n" }.joined()
            + (GroupTable.all.map { $0.createSQL(.sqlite) } + Rollup.all.map { $0.createSQL(.sqlite) })
                .joined(separator: "\n") + """

        DELETE FROM rollup_progress;
        INSERT INTO rollup_progress (built_through) SELECT '' WHERE EXISTS (SELECT 1 FROM shares);
        """),
        // `tiers` over all time counts each tier's advocates in the group tables, in (tier,
        // advocate) order (`QueryText.storedAdvocatesPerTier`).
        .sql("""
        CREATE INDEX advocate_groups_by_tier ON advocate_groups (tier, advocate);
        CREATE INDEX share_groups_by_venue ON share_groups (venue, tier, advocate);
        """),
        // The counters per hour alone, for a trend of everything, made empty (version 6 made it
        // already for a database older than that, empty too); version 12 has it summed in the
        // background.
        .sql(Rollup.hours.remakeEmptySQL(.sqlite)),
        // Each advocate's counters over all time, for `top` over every advocate, made empty like
        // version 8's.
        .sql(Rollup.advocateTotals.remakeEmptySQL(.sqlite)),
        .code(VisitorColumnMigration.run),
        // Each advocate's counters at each venue over all time, for `top` at one venue, made empty
        // like version 8's.
        .sql(Rollup.venueAdvocates.remakeEmptySQL(.sqlite)),
        // The rollups summed in steps from the rollup of every attribute at their grain
        // (`RollupBuilds`): those of versions 8, 9 and 11 where they are empty and share groups
        // exist (a database of an older version; as first released, versions 8, 9 and 11 summed
        // them at once, in the start's migration, and such a database has nothing to build).
        .sql("""
        CREATE TABLE rollup_builds (rollup TEXT PRIMARY KEY NOT NULL, built_through INTEGER NOT NULL) WITHOUT ROWID;
        """ + Rollup.builtFirst.map(markBuildSQL).joined()),
        // Each advocate's counters in each campaign over all time, for `top` for one campaign,
        // made empty and summed in steps like version 11's (nothing to sum on a new database).
        .sql(Rollup.campaignAdvocates.remakeEmptySQL(.sqlite) + markBuildSQL(.campaignAdvocates)),
        // `tiers` for one campaign counts its advocates per tier in (tier, advocate) order, as for
        // one venue (version 7's index), instead of sorting every share group of it.
        indexesAtOnce(campaignIndex),
        // `top` and `tiers` at one venue in one campaign read those share groups alone, instead
        // of every share group of the venue (a twentieth of all) to keep a sixth of them.
        indexesAtOnce(venueCampaignIndex),
        // One index of the share groups by venue instead of versions 7's and 15's: each new share
        // group costs the apply one index entry fewer.
        indexesAtOnce(venueIndex),
        // The indexes by campaign and by venue with the network at their ends, in place of
        // versions 14's and 16's: a filter with a network reads the share groups' attributes in
        // the index alone, not each group of the campaign or venue in the table.
        indexesAtOnce(campaignTierIndex, venueTierIndex),
    ]

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
    private static func indexesAtOnce(_ indexes: GroupsIndex...) -> Migration {
        .code { database, _ in
            guard try database.prepare("SELECT \(shareGroupsExist)").rows({ $0.int64(0) }).first == 0 else { return }
            for index in indexes { try database.execute(index.sql) }
        }
    }

    /// SQL: whether the database has share groups. A migration makes what it adds at once without
    /// them, and has it built in the background (`Store.buildRollups`) with them.
    private static let shareGroupsExist = "EXISTS (SELECT 1 FROM share_groups)"

    /// The names of `builtIndexes` that `database` lacks.
    static func missingIndexes(_ database: Database) throws -> [String] {
        let present = Set(try database.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").rows { $0.string(0) ?? "" })
        return builtIndexes.map(\.name).filter { !present.contains($0) }
    }

    /// Has `rollup` summed in steps (`RollupBuilds`) where it is empty and share groups exist.
    private static func markBuildSQL(_ rollup: Rollup) -> String {
        """

        INSERT INTO rollup_builds (rollup, built_through) SELECT '\(rollup.table)', 0
        WHERE EXISTS (SELECT 1 FROM share_groups) AND NOT EXISTS (SELECT 1 FROM \(rollup.table));
        """
    }

    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Brings the database to the current version; refuses one newer than this code knows.
    /// Calls `beforeMigrating` with the two versions first if the database has a schema already (a
    /// new one's is made at once). Returns whether it migrated.
    static func migrate(_ database: Database, visitorKey: VisitorKey,
                        beforeMigrating: (_ from: Int64, _ to: Int64) -> Void = { _, _ in }) throws -> Bool {
        let version = try userVersion(database)
        guard version <= currentVersion else {
            throw StoreError.schemaTooNew(found: version, known: currentVersion, path: database.path)
        }
        guard version < currentVersion else { return false }
        if version > 0 { beforeMigrating(version, currentVersion) }
        try database.transaction {
            for migration in migrations[Int(version)...] {
                switch migration {
                case .sql(let sql): try database.execute(sql)
                case .code(let run): try run(database, visitorKey)
                }
            }
            try database.execute("PRAGMA user_version = \(currentVersion)")
        }
        return true
    }

    static func userVersion(_ database: Database) throws -> Int64 {
        let statement = try database.prepare("PRAGMA user_version")
        defer { statement.reset() }
        _ = try statement.step()
        return statement.int64(0)
    }
}
