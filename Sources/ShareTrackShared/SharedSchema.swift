/// The shared store's schema in PostgreSQL, versioned in `meta` and upgraded by migrations, like
/// the SQLite one (`Schema`): the same `shares`, `counters` and `visitors` (keyed hashes, as 64-bit
/// two's complement, with the hour a pair's click counted in), `sources` per node, and `nodes`, each
/// node's place in its stream of batches; from version 3 the `Rollup` tables and their group tables
/// (`SharedRollups`), as locally; from version 4 the rollup log, which shipments append to and
/// one node at a time folds into the rollups (`RollupLog`); from version 5 the rollup per hour
/// alone (`RollupHours`); from version 6 the one per advocate alone (`AdvocateTotals`); from version 7
/// the one per advocate and venue (`VenueAdvocates`); from version 8 `rollup_builds`, those three
/// summed in steps (`SharedRollupBuilds`); from version 9 each tier's advocates (`TierAdvocates`);
/// from version 10 the rollup per advocate and campaign (`CampaignAdvocates`), whose rows hold
/// their advocate and campaign from version 11 (`CampaignAdvocateRows`); from version 12 only the
/// groups of stored shares (`CountedGroups`), whose indexes by place end with the network from
/// version 13 (`PlaceIndexes`); from version 14 each visitor pair's click `time` (retention); from
/// version 15 every id in NFC (`SharedCanonicalIds`); from version 16 the hourly rows of share
/// groups with their attributes (`HourGroupRows`).
///
/// `value` is `numeric`: sums of money stay exact whatever the number of nodes and rows. Tokens
/// (ASCII by the protocol) compare bytewise (`COLLATE "C"`): sorting and index lookups then cost a
/// `memcmp`, not a locale's rules. `counters` leaves 30% of each page free, so that most additive
/// updates stay on the row's page and touch no index (HOT updates).
enum SharedSchema {
    /// Migration `n` takes the schema from version `n` to `n + 1`.
    static let migrations: [String] = [
        """
        CREATE TABLE meta (
            key text PRIMARY KEY,
            value text NOT NULL
        );
        CREATE TABLE nodes (
            node text PRIMARY KEY,
            database_id bigint NOT NULL,
            generation bigint NOT NULL,
            events bigint NOT NULL DEFAULT 0,
            batch_time bigint NOT NULL DEFAULT 0,
            shipped_at timestamptz NOT NULL DEFAULT now(),
            caught_up_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE shares (
            token text COLLATE "C" PRIMARY KEY,
            advocate text NOT NULL,
            venue text NOT NULL,
            campaign text,
            network text NOT NULL,
            followers bigint NOT NULL,
            tier text NOT NULL,
            time bigint NOT NULL,
            node text NOT NULL
        );
        CREATE INDEX shares_by_advocate ON shares (advocate, time);
        CREATE TABLE counters (
            token text COLLATE "C" NOT NULL,
            hour bigint NOT NULL,
            shares bigint NOT NULL DEFAULT 0,
            reach bigint NOT NULL DEFAULT 0,
            clicks bigint NOT NULL DEFAULT 0,
            unique_clicks bigint NOT NULL DEFAULT 0,
            bot_clicks bigint NOT NULL DEFAULT 0,
            conversions bigint NOT NULL DEFAULT 0,
            value numeric NOT NULL DEFAULT 0,
            PRIMARY KEY (token, hour)
        ) WITH (fillfactor = 70);
        CREATE TABLE visitors (
            token text COLLATE "C" NOT NULL,
            visitor bigint NOT NULL,
            hour bigint NOT NULL,
            PRIMARY KEY (token, visitor)
        );
        CREATE INDEX visitors_by_visitor ON visitors (visitor);
        CREATE TABLE sources (
            node text NOT NULL,
            source text NOT NULL,
            highest_seq bigint NOT NULL,
            last_seen bigint NOT NULL,
            accepted bigint NOT NULL,
            rejected bigint NOT NULL,
            duplicates bigint NOT NULL,
            PRIMARY KEY (node, source)
        );
        """,
        // Each producer's test events, as locally. Visitor pairs keyed visitor first, so that the key
        // also finds a visitor's pairs (`forget`): one index fewer to maintain for every pair shipped;
        // and indexed by hour, so that retention finds the expired pairs without reading them all.
        """
        ALTER TABLE sources ADD COLUMN test bigint NOT NULL DEFAULT 0;
        ALTER TABLE visitors DROP CONSTRAINT visitors_pkey, ADD PRIMARY KEY (visitor, token);
        DROP INDEX visitors_by_visitor;
        CREATE INDEX visitors_by_hour ON visitors (hour);
        """,
        // The local rollups and their group tables, built from the shares and counters there are
        // (`SharedRollups`); kept by every shipment until version 4.
        SharedRollups.createSQL,
        // Shipments in parallel again: they append to the rollup log, folded into the rollups apart.
        RollupLog.createSQL,
        // The counters per hour alone, for a trend of everything (`Rollup.hours`).
        RollupHours.createSQL,
        // Each advocate's counters over all time, for `top` over every advocate (`Rollup.advocateTotals`).
        AdvocateTotals.createSQL,
        // Each advocate's counters at each venue over all time, for `top` at one venue (`Rollup.venueAdvocates`).
        VenueAdvocates.createSQL,
        // The rollups of versions 5-7 summed in steps after the migration, not in it.
        SharedRollupBuilds.createSQL,
        // Every (tier, advocate) pair once, for `tiers` over all time (`TierAdvocates`).
        TierAdvocates.createSQL,
        // Each advocate's counters in each campaign over all time, for `top` for one campaign.
        CampaignAdvocates.createSQL,
        // Its rows with their advocate and campaign, for `top` for one campaign without joining its groups.
        CampaignAdvocateRows.createSQL,
        // Only the groups of stored shares, for `tiers` at a venue or in a campaign counted in the groups.
        CountedGroups.createSQL,
        // The share groups' indexes by place ending with the network.
        PlaceIndexes.createSQL,
        // Each visitor pair's click time, for `visitor_retention` to the minute (a pair shipped
        // before has its hour only: `SharedStore.deleteVisitors`).
        "ALTER TABLE visitors ADD COLUMN time bigint;",
        // Every id in NFC: the locks here, the renames in Swift after it (`continuations`).
        SharedCanonicalIds.startSQL,
        // The hourly rows of share groups with their groups' attributes, for answers over a range
        // without joining every share group.
        HourGroupRows.createSQL,
    ]

    /// Work in Swift that finishes a migration after its SQL, in the same transaction, by the
    /// version the migration brings the store to.
    static let continuations: [Int: @Sendable (PostgresConnection) throws(PostgresError) -> Void] = [
        SharedCanonicalIds.version: SharedCanonicalIds.run,
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings the store to the current version and checks the visitor key, in one transaction under
    /// an advisory lock: two daemons starting at once against an empty database do not both create
    /// the tables (the second waits, then finds them). The first key to arrive is recorded; a node
    /// with another one is refused. Calls `beforeMigrating` with the two versions first if the
    /// store has a schema older than this one. Returns the version the store had (0: none, it was
    /// empty).
    static func migrate(_ connection: PostgresConnection, keyFingerprint: String?, keyFile: String,
                        beforeMigrating: (_ from: Int, _ to: Int) -> Void) throws(PostgresError) -> Int
    {
        try connection.transaction { () throws(PostgresError) -> Int in
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('sharetrack schema'))")
            let exists = try connection.query("SELECT to_regclass('meta') IS NOT NULL").string(0, 0) == "t"
            let version = exists
                ? Int(try connection.query("SELECT value FROM meta WHERE key = 'schema_version'").string(0, 0) ?? "0") ?? 0
                : 0
            guard version <= currentVersion else {
                throw PostgresError(sqlState: "55000", message: "the shared store's schema is version \(version), "
                                    + "newer than this sharetrackd knows (\(currentVersion)); upgrade sharetrackd")
            }
            if version > 0 && version < currentVersion { beforeMigrating(version, currentVersion) }
            for (index, migration) in migrations.enumerated().dropFirst(version) {
                try connection.execute(migration)
                try continuations[index + 1]?(connection)
            }
            try connection.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
                                 + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(currentVersion)])
            guard let keyFingerprint else { return version }
            try connection.query("INSERT INTO meta (key, value) VALUES ('visitor_key', $1) ON CONFLICT (key) DO NOTHING",
                                 [keyFingerprint])
            let recorded = try connection.query("SELECT value FROM meta WHERE key = 'visitor_key'").string(0, 0)
            guard recorded == keyFingerprint else {
                throw PostgresError(sqlState: "55000", message: "refused by the shared store: this node's visitor key "
                                    + "(\(keyFile), fingerprint \(keyFingerprint)) is not the one the store was started "
                                    + "with (fingerprint \(recorded ?? "none")); every node must use the same visitor_key_file")
            }
            return version
        }
    }
}
