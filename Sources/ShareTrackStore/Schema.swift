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
/// `venueTierIndex`), so that a filter with a network reads them alone. Version 18 keeps each
/// advocate's row in a campaign with its advocate and campaign, keyed by them
/// (`Rollup.repeatsAttributes`): one campaign's rows are one range of the table, summed again in steps.
/// Version 19 gives each visitor pair its click's time; version 20 puts the ids stored before
/// ingest kept them in NFC in it (`CanonicalIdsMigration`).
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
        .sql(rollupsMadeAgainSQL),
        // `tiers` over all time counts each tier's advocates in the group tables, in (tier,
        // advocate) order (`QueryText.storedAdvocatesPerTier`).
        .sql(advocatesByTierSQL + """

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
        remadeAndBuilt(.campaignAdvocates),
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
        // The rollup per advocate and campaign keyed by campaign and advocate, its rows holding
        // them: `top` for one campaign reads one range instead of finding each advocate's row by
        // its group's id. Made empty and summed in steps like version 13's (a build under way
        // starts again).
        remadeAndBuilt(.campaignAdvocates),
        // Each visitor pair's click time, for `visitor_retention` to the minute (`VisitorHashes`;
        // a pair stored before has its hour only).
        .sql("""
        ALTER TABLE counters ADD COLUMN visitor_times BLOB;
        ALTER TABLE visitors ADD COLUMN time INTEGER;
        """),
        .code(CanonicalIdsMigration.run),
    ]

    /// Every rollup and group table made again, empty (dropped if there), and had built from the
    /// counters in the background (`Store.buildRollups`) where there are shares.
    static let rollupsMadeAgainSQL = (Rollup.all.map(\.table) + GroupTable.all.map(\.table))
        .map { "DROP TABLE IF EXISTS \($0);\n" }.joined()
        + (GroupTable.all.map { $0.createSQL(.sqlite) } + Rollup.all.map { $0.createSQL(.sqlite) }).joined(separator: "\n")
        + """

        DELETE FROM rollup_progress;
        INSERT INTO rollup_progress (built_through) SELECT '' WHERE EXISTS (SELECT 1 FROM shares);
        """

    /// Version 7's index of the advocate groups by tier.
    static let advocatesByTierSQL = "CREATE INDEX advocate_groups_by_tier ON advocate_groups (tier, advocate);"

    /// Makes `rollup` (and its groups) again, empty, and has it summed in steps where share groups
    /// exist (`markBuildSQL`).
    private static func remadeAndBuilt(_ rollup: Rollup) -> Migration {
        .sql(rollup.remakeEmptySQL(.sqlite) + markBuildSQL(rollup))
    }

    /// Has `rollup` summed in steps (`RollupBuilds`) from the first share group where it is empty
    /// and share groups exist.
    private static func markBuildSQL(_ rollup: Rollup) -> String {
        """

        INSERT OR REPLACE INTO rollup_builds (rollup, built_through) SELECT '\(rollup.table)', 0
        WHERE \(shareGroupsExist) AND NOT EXISTS (SELECT 1 FROM \(rollup.table));
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

    /// Refuses a database that holds tables but no ShareTrack schema version (every ShareTrack
    /// database has one, set in the transaction that made its tables): another application's
    /// file, which a migration would add ShareTrack's tables to.
    static func refuseForeign(_ database: Database) throws {
        guard try userVersion(database) == 0,
              try database.prepare("SELECT count(*) FROM sqlite_master").rows({ $0.int64(0) }).first ?? 0 > 0
        else { return }
        throw StoreError.cannotOpen(path: database.path, reason: "it holds tables but no ShareTrack schema version "
                                    + "(another application's database?): name a new file or a ShareTrack database")
    }

    static func userVersion(_ database: Database) throws -> Int64 {
        let statement = try database.prepare("PRAGMA user_version")
        defer { statement.reset() }
        _ = try statement.step()
        return statement.int64(0)
    }
}
