import Foundation
import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// A shared store made by an earlier version of the schema, migrated by the next daemon that
/// connects: its rows kept and used.
@Suite("Shared store schema")
struct SharedSchemaMigrationTests {
    /// Takes a store from version 16 back to version 15: its hourly rows of share groups without
    /// their attributes, the shipments' guard wanting version 15 and the folds' version 12
    /// (version 15's again).
    static let backToVersionFifteen = "ALTER TABLE rollup_hour_groups "
        + Rollup.hourGroups.groups.attributes.map { "DROP COLUMN \($0)" }.joined(separator: ", ") + ";\n"
        + SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "15", version: 15, keeps: "ids in NFC")
        + SharedRollups.guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "12",
                                      version: 12, keeps: "only the groups of stored shares")

    /// Takes a store from version 16 back to version 13 (version 15 changes no table): also visitor
    /// pairs without their click's time.
    static let backToVersionThirteen = backToVersionFifteen + "ALTER TABLE visitors DROP COLUMN time;\n"

    /// Takes a store from version 16 back to version 12: also its share groups' indexes by venue and
    /// by campaign without the network.
    static let backToVersionTwelve = backToVersionThirteen + """
        DROP INDEX share_groups_by_venue_network, share_groups_by_campaign_network;
        CREATE INDEX share_groups_by_venue ON share_groups (venue, tier, advocate);
        CREATE INDEX share_groups_by_campaign ON share_groups (campaign, tier, advocate);

        """

    /// Takes a store from version 16 back to version 11: also no check of its share groups nor
    /// their indexes by venue and by campaign, the guards wanting version 11.
    static let backToVersionEleven = backToVersionThirteen + "DELETE FROM meta WHERE key = '\(CountedGroups.check.key)';\n"
        + "DROP INDEX share_groups_by_venue_network, share_groups_by_campaign_network;\n"
        + SharedRollups.guardFunctions(version: 11, keeps: "the advocate and campaign in the rows of its rollup per advocate and campaign")

    /// Takes a store from version 16 back to version 10: also the rollup per advocate and campaign
    /// without its advocate and campaign in each row (nor their index), the guards wanting version 10.
    static let backToVersionTen = backToVersionEleven + """
        ALTER TABLE rollup_campaign_advocates DROP COLUMN advocate, DROP COLUMN campaign;

        """ + SharedRollups.guardFunctions(version: 10, keeps: "a rollup per advocate and campaign")

    /// Takes a store from version 16 back to version 9: also without the rollup per advocate and
    /// campaign, its groups and its build, the shipments' guard wanting version 9 and the folds'
    /// version 8 (version 9's again).
    static let backToVersionNine = backToVersionTen + """
        DROP TABLE rollup_campaign_advocates; DROP TABLE campaign_advocate_groups;
        DELETE FROM rollup_builds WHERE rollup = 'rollup_campaign_advocates';

        """ + SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "9", version: 9, keeps: "advocates per tier")
        + SharedRollups.guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "8",
                                      version: 8, keeps: "rollups built in steps")

    /// Takes a store from version 16 back to version 8: also without `tier_advocates`, and the
    /// shipments' guard wanting version 8 (version 8's again).
    static let backToVersionEight = backToVersionNine + "DROP TABLE tier_advocates;\n"
        + SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "8", version: 8, keeps: "rollups built in steps")

    /// Takes a store from version 16 back to version 7: also without `rollup_builds`, and the guards
    /// wanting version 7 (version 7's again).
    static let backToVersionSeven = backToVersionEight + "DROP TABLE rollup_builds;\n"
        + SharedRollups.guardFunctions(version: 7, keeps: "a rollup per advocate and venue")

    /// Takes a store from version 16 back to version 6: also without the rollup per advocate and
    /// venue, its groups, and the guards wanting version 6 (version 6's again).
    static let backToVersionSix = backToVersionSeven + "DROP TABLE rollup_venue_advocates; DROP TABLE venue_advocate_groups;\n"
        + SharedRollups.guardFunctions(version: 6, keeps: "a rollup per advocate")

    /// Takes a store from version 16 back to version 5: also without the rollup per advocate, its
    /// groups, and the guards wanting version 6 (version 5's again).
    static let backToVersionFive = backToVersionSix + "DROP TABLE rollup_advocate_totals; DROP TABLE advocate_alone_groups;\n"
        + SharedRollups.guardFunction(setting: "sharetrack.shipment_version", value: "4", version: 4, keeps: "rollup log")
        + SharedRollups.guardFunction("sharetrack_folds_hours", setting: "sharetrack.fold_version", value: "5",
                                      version: 5, keeps: "a rollup per hour")

    /// Takes a store from version 16 back to version 4: also without the rollup per hour and its guard.
    static let backToVersionFour = backToVersionFive
        + "DROP TABLE rollup_hours; DROP TRIGGER rollup_hour_places_folded ON rollup_hour_places; "
        + "DROP FUNCTION sharetrack_folds_hours();\n"

    /// A store that three nodes shipped `count` random shipments (of `seed`) to.
    static func shipped(_ count: Int, seed: UInt64)
        throws -> (cluster: PostgresCluster, database: String, nodes: [SharedStore], chain: RandomChain)
    {
        let (cluster, database, nodes) = try SharedRollupTests.stores(3)
        var chain = RandomChain(seed: seed, nodes: nodes.count)
        try SharedRollupTests.ship(count, of: &chain, to: nodes)
        return (cluster, database, nodes, chain)
    }

    /// A node of this version connecting to a store at `version`: it migrates the store to the
    /// current version, and tells before and after.
    static func migrated(_ cluster: PostgresCluster, _ database: String, from version: Int) throws -> SharedStore {
        var told: [Int] = []
        let store = try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-9",
                                    databaseID: 10, keyFingerprint: nil, keyFile: "") { told = [$0, $1] }
        let current = SharedSchema.currentVersion
        #expect(try store.connection.query("SELECT value FROM meta WHERE key = 'schema_version'").string(0, 0)
                == String(current))
        #expect(told == [version, current] && store.migrated?.from == version && store.migrated?.to == current)
        // The next node finds it current: nothing to tell.
        let next = try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-8",
                                   databaseID: 11, keyFingerprint: nil, keyFile: "") { _, _ in told = [] }
        #expect(told == [version, current] && next.migrated == nil)
        return store
    }

    /// A daemon whose shipments and folds say they are of the versions given, still connected
    /// after the store was migrated: both refused, permanently, naming the version the guards want.
    static func expectRefused(_ connection: PostgresConnection, shipmentVersion: Int, foldVersion: Int) throws {
        func attempt(_ setting: String, _ statement: String) throws(PostgresError) {
            try connection.transaction { () throws(PostgresError) in
                try connection.execute("SELECT set_config('sharetrack.\(setting)', true)")
                _ = try connection.query(statement, statement.contains("$1") ? ["1000"] : [])
            }
        }
        let shipment = "UPDATE nodes SET generation = generation + 1 WHERE node = 'node-0'"
        let attempts = [("shipment_version', '\(shipmentVersion)", shipment, HourGroupRows.version),
                        ("fold_version', '\(foldVersion)", RollupLog.foldStatement, HourGroupRows.version)]
        for (setting, statement, wanted) in attempts {
            let refused = #expect(throws: PostgresError.self) { try attempt(setting, statement) }
            #expect(refused?.isTransient == false && refused?.message.contains("schema version \(wanted)") == true
                    && refused?.message.contains("upgrade it") == true, "\(String(describing: refused))")
        }
    }

    /// Questions whose sums read the rollups.
    static let requests = [ControlRequest.Command.top, .tiers, .venues, .trend].map { ControlRequest(command: $0) }

    /// A store whose last shipment is not folded (log rows left), taken back to `version` by
    /// `back`, then migrated by a node of this version. Until then, `sharectl` answers from the
    /// raw rows (the store may lack rollups it reads), the same as after.
    static func migratedWithRowsToFold(from version: Int, _ back: String, seed: UInt64) throws
        -> (connection: PostgresConnection, migrated: SharedStore, nodes: [SharedStore], chain: RandomChain)
    {
        let (cluster, database, nodes, chain) = try shipped(41, seed: seed)
        let connection = try cluster.connect(database)
        #expect(try SharedRollupTests.logRows(connection).attributable > 0)
        try connection.execute(back + "UPDATE meta SET value = '\(version)' WHERE key = 'schema_version';")
        let unmigrated = requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) }
        #expect(unmigrated.allSatisfy { !$0.hasPrefix("error") }, "\(unmigrated)")
        let migrated = try migrated(cluster, database, from: version)
        #expect(requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) } == unmigrated)
        return (connection, migrated, nodes, chain)
    }

    @Test("a store at schema version 1 is migrated by the next daemon; its visitor pairs still dedupe clicks")
    func migratesVersionOne() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        // Version 1, made by the daemons' role (who must own what the migration alters).
        let owner = try PostgresConnection(store.uri, password: PostgresCluster.password)
        try owner.execute(SharedSchema.migrations[0])
        try owner.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        let key = try #require(VisitorKey(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: store.keyFile)))))
        let now = Int64(Date().timeIntervalSince1970)
        try owner.query("INSERT INTO visitors (token, visitor, hour) VALUES ('m1', $1, $2)",
                        [String(Int64(bitPattern: key.hash("v1"))), String(now / 3600 - 1)])

        let daemon = try store.daemon(node: "migrated")
        try daemon.send([
            TestEvent(token: "m1", kind: .click(visitor: "v1", bot: false), time: now),
            TestEvent(token: "m1", kind: .click(visitor: "v2", bot: false), time: now),
        ])
        try daemon.waitUntilShipped()
        let connection = try store.connect()
        #expect(try connection.query("SELECT value FROM meta WHERE key = 'schema_version'").string(0, 0)
                == String(SharedSchema.currentVersion))
        // The daemon says so before and after, and how long shipping waited for it.
        let to = SharedSchema.currentVersion
        #expect(eventually {
            daemon.log.split(separator: "\n").contains {
                $0.contains("shared store: migrated its schema from=1 ms=") && $0.hasSuffix(" to=\(to)")
            }
        }, "\(daemon.log)")
        let migrating = daemon.log.range(of: "shared store: migrating its schema; shipping waits for it, on a large store a while from=1 to=\(to)\n")
        let migrated = daemon.log.range(of: "shared store: migrated its schema")
        #expect(migrating != nil && migrated != nil && migrating!.upperBound <= migrated!.lowerBound, "\(daemon.log)")
        // v1 clicked through another node before: one unique click of two.
        let counters = try connection.query("SELECT sum(clicks), sum(unique_clicks) FROM counters WHERE token = 'm1'")
        #expect(counters.int64(0, 0) == 2 && counters.int64(0, 1) == 1)
        #expect(try connection.query("SELECT count(*) FROM visitors WHERE token = 'm1'").int64(0, 0) == 2)
        let primaryKey = try connection.query("""
            SELECT string_agg(a.attname, ',' ORDER BY k.ordinality) FROM pg_index i
            JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON true
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = 'visitors'::regclass AND i.indisprimary
            """)
        #expect(primaryKey.string(0, 0) == "visitor,token")
    }

    @Test("a store at schema version 2 gets its rollups built by the migration, equal to the raw rows; a version 2 shipment is then refused")
    func migratesVersionTwo() throws {
        var (cluster, database, nodes, chain) = try Self.shipped(40, seed: 21)
        // Back to version 2: its tables are version 4's without the group tables, rollups, log and guard.
        let connection = try cluster.connect(database)
        try connection.execute(Self.backToVersionFour + (Rollup.all.filter { $0.table != Rollup.hours.table }.map(\.table) + GroupTable.all.map(\.table) + ["rollup_log"]).map { "DROP TABLE IF EXISTS \($0);\n" }.joined()
            + "DROP TRIGGER nodes_keep_rollups ON nodes; DROP FUNCTION sharetrack_keeps_rollups();"
            + "UPDATE meta SET value = '2' WHERE key = 'schema_version';")
        #expect(try connection.query("SELECT count(*) FROM shares").int64(0, 0) > 30)
        // sharectl answers from the raw rows until a daemon migrates the store.
        let unmigrated = Self.requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) }
        #expect(unmigrated.allSatisfy { !$0.hasPrefix("error") }, "\(unmigrated)")

        _ = try Self.migrated(cluster, database, from: 2)
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(Self.requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) } == unmigrated)
        // Shipping goes on, the rollups kept.
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try SharedRollupTests.expectExact(connection, &chain)
        // A version 2 daemon still connected moves its generation without keeping the rollups:
        // refused, permanently (its shipper stops and says why).
        let refused = #expect(throws: PostgresError.self) {
            try connection.execute("UPDATE nodes SET generation = generation + 1 WHERE node = 'node-0'")
        }
        #expect(refused?.isTransient == false && refused?.message.contains("upgrade it") == true, "\(String(describing: refused))")
    }

    @Test("a store at schema version 3 gets its orphans into the rollup log, exact; a version 3 shipment is then refused")
    func migratesVersionThree() throws {
        var (cluster, database, nodes, chain) = try Self.shipped(40, seed: 33)
        // Back to version 3: folded, the rollups hold what version 3's would, and the log only
        // orphans, which version 3 keeps in the counters alone; its guard wants its own setting.
        try nodes[0].fold()
        let connection = try cluster.connect(database)
        #expect(try SharedRollupTests.logRows(connection).all > 0)
        try connection.execute(Self.backToVersionFour + "DROP TABLE rollup_log;\n"
            + SharedRollups.guardFunction(setting: "sharetrack.keeps_rollups", value: "on", version: 3, keeps: "rollups")
            + "\nUPDATE meta SET value = '3' WHERE key = 'schema_version';")
        let migrated = try Self.migrated(cluster, database, from: 3)
        #expect(try SharedRollupTests.logRows(connection).all > 0)
        try SharedRollupTests.expectExact(connection, &chain)
        // Shipping goes on; orphans whose share arrives now reach the rollups through the log.
        try SharedRollupTests.ship(30, of: &chain, to: nodes)
        try SharedRollupTests.expectExact(connection, &chain)
        try migrated.fold()
        #expect(try SharedRollupTests.logRows(connection).attributable == 0)
        try SharedRollupTests.expectExact(connection, &chain)
        // A version 3 daemon still connected says it keeps the rollups (its way): refused, permanently.
        let refused = #expect(throws: PostgresError.self) {
            try connection.transaction { () throws(PostgresError) in
                try connection.execute("SELECT set_config('sharetrack.keeps_rollups', 'on', true)")
                try connection.execute("UPDATE nodes SET generation = generation + 1 WHERE node = 'node-0'")
            }
        }
        #expect(refused?.isTransient == false && refused?.message.contains("schema version \(HourGroupRows.version)") == true
                && refused?.message.contains("upgrade it") == true, "\(String(describing: refused))")
    }

    @Test("a store at schema version 4 gets its four newer rollups summed in steps while nodes ship and fold, exact at every step; version 4 shipments and folds are then refused")
    func migratesVersionFour() throws {
        try Self.expectNewRollups([.advocateTotals, .venueAdvocates, .campaignAdvocates, .hours], from: 4, Self.backToVersionFour, seed: 44,
                                  rows: "SELECT count(*) FROM rollup_hours",
                                  summed: "SELECT count(DISTINCT hour) FROM rollup_hour_places",
                                  shipmentVersion: 4, foldVersion: 4)
    }

    @Test("a store at schema version 5 gets its rollups per advocate, per advocate and venue and per advocate and campaign summed in steps, exact at every step; version 5 shipments and folds are then refused")
    func migratesVersionFive() throws {
        try Self.expectNewRollups([.advocateTotals, .venueAdvocates, .campaignAdvocates], from: 5, Self.backToVersionFive, seed: 55,
                                  rows: "SELECT count(*) FROM rollup_advocate_totals",
                                  summed: "SELECT count(DISTINCT advocate) FROM rollup_advocates JOIN advocate_groups USING (id)",
                                  shipmentVersion: 4, foldVersion: 5)
    }

    @Test("a store at schema version 6 gets its rollups per advocate and venue and per advocate and campaign summed in steps, exact at every step; version 6 shipments and folds are then refused")
    func migratesVersionSix() throws {
        try Self.expectNewRollups([.venueAdvocates, .campaignAdvocates], from: 6, Self.backToVersionSix, seed: 66,
                                  rows: "SELECT count(*) FROM rollup_venue_advocates",
                                  summed: "SELECT count(DISTINCT (advocate, venue)) FROM rollup_groups JOIN share_groups USING (id)",
                                  shipmentVersion: 6, foldVersion: 6)
    }

    @Test("a store at schema version 7 has its rollups but the one per advocate and campaign already: that one to sum, tier_advocates to fill; version 7 shipments and folds are then refused")
    func migratesVersionSeven() throws {
        var (connection, migrated, nodes, chain) = try Self.migratedWithRowsToFold(from: 7, Self.backToVersionSeven, seed: 77)
        #expect(try migrated.rollupsBuilding()
                == [Rollup.campaignAdvocates.table, TierAdvocates.table, CountedGroups.table, HourGroupRows.table])
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try Self.buildInSteps(migrated, connection, nodes, &chain, shipping: 0) > 3)
        try SharedRollupTests.expectExact(connection, &chain)
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)
        try Self.expectRefused(connection, shipmentVersion: 7, foldVersion: 7)
    }

    @Test("a store at schema version 8 gets tier_advocates filled in steps, exact at every step while nodes ship and rename; version 8 shipments and folds are then refused")
    func migratesVersionEight() throws {
        var (connection, migrated, nodes, chain) = try Self.migratedWithRowsToFold(from: 8, Self.backToVersionEight, seed: 88)
        #expect(try migrated.rollupsBuilding()
                == [Rollup.campaignAdvocates.table, TierAdvocates.table, CountedGroups.table, HourGroupRows.table])
        #expect(try connection.query("SELECT count(*) FROM tier_advocates").int64(0, 0) == 0)
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try Self.buildInSteps(migrated, connection, nodes, &chain) > 3)
        #expect(try connection.query("SELECT count(*) FROM tier_advocates").int64(0, 0) > 5)
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try SharedRollupTests.expectExact(connection, &chain)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)
        try Self.expectRefused(connection, shipmentVersion: 8, foldVersion: 8)
    }

    @Test("a store at schema version 13 keeps its visitor pairs, dated by their hour's last second for retention; new ones get their time")
    func migratesVersionThirteen() throws {
        var (cluster, database, nodes, chain) = try Self.shipped(41, seed: 1313)
        let connection = try cluster.connect(database)
        try connection.execute(Self.backToVersionThirteen + "UPDATE meta SET value = '13' WHERE key = 'schema_version';")
        let pairs = try connection.query("SELECT count(*) FROM visitors").int64(0, 0)
        #expect(pairs > 0)
        let migrated = try Self.migrated(cluster, database, from: 13)
        #expect(try connection.query("SELECT count(*) FROM visitors WHERE time IS NULL").int64(0, 0) == pairs)
        try SharedRollupTests.ship(5, of: &chain, to: nodes)
        #expect(try connection.query("SELECT count(*) FROM visitors WHERE time IS NOT NULL").int64(0, 0) > 0)
        // A cut-off at an old pair's hour's last second keeps it; one a second later deletes it.
        let hour = try connection.query("SELECT min(hour) FROM visitors WHERE time IS NULL").int64(0, 0)
        let inHour = "SELECT count(*) FROM visitors WHERE hour = \(hour) AND time IS NULL"
        let before = try connection.query(inHour).int64(0, 0)
        #expect(try migrated.deleteVisitors(before: VisitorPair.time(inHour: hour), limit: 100_000) >= 0)
        #expect(try connection.query(inHour).int64(0, 0) == before)
        _ = try migrated.deleteVisitors(before: VisitorPair.time(inHour: hour) + 1, limit: 100_000)
        #expect(try connection.query(inHour).int64(0, 0) == 0)
    }

    @Test("a store at schema version 12 gets its share groups' indexes by venue and by campaign made again ending with the network; its answers stay the same")
    func migratesVersionTwelve() throws {
        let (cluster, database, _, _) = try Self.shipped(41, seed: 1212)
        let connection = try cluster.connect(database)
        try connection.execute(Self.backToVersionTwelve + "UPDATE meta SET value = '12' WHERE key = 'schema_version';")
        let filters = [QueryFilter(venue: "v1", network: "tiktok"), QueryFilter(campaign: "c1", network: "instagram", tier: .nano)]
        let requests = filters.flatMap { SharedRollupTests.topRequests($0, limits: [1, 3]) }
            + filters.map { ControlRequest(command: .tiers, query: Query(filter: $0)) }
        let unmigrated = requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) }
        _ = try Self.migrated(cluster, database, from: 12)
        let indexes = try connection.query("""
            SELECT indexdef FROM pg_indexes WHERE tablename = 'share_groups' AND indexname LIKE '%_by_%' ORDER BY indexname
            """)
        #expect((0..<indexes.count).map { indexes.string($0, 0) ?? "" } == [
            "CREATE INDEX share_groups_by_campaign_network ON public.share_groups USING btree (campaign, tier, advocate, network)",
            "CREATE UNIQUE INDEX share_groups_by_key ON public.share_groups USING btree (advocate, venue, campaign, network, tier)",
            "CREATE INDEX share_groups_by_venue_network ON public.share_groups USING btree (venue, tier, advocate, network)",
        ])
        #expect(requests.map { SharedRollupTests.answer(SharedQueries(connection), $0) } == unmigrated)
        SharedRollupTests.expectSameAnswers(connection, requests)
    }

    @Test("a store at schema version 11 has the share groups that no stored share has (a share that lost to another node's) deleted in steps, exact at every step; version 11 shipments and folds are then refused")
    func migratesVersionEleven() throws {
        var (cluster, database, nodes, chain) = try Self.shipped(41, seed: 1111)
        let connection = try cluster.connect(database)
        // Version 11 numbered the groups of a share that lost: here, groups of advocates at
        // venues they shared at, but in tiers they had no share in there.
        try connection.execute("""
            INSERT INTO share_groups (advocate, venue, campaign, network, tier)
            SELECT DISTINCT g.advocate, g.venue, '', 'lost', t.tier FROM share_groups g CROSS JOIN (VALUES ('nano'), ('mega')) AS t (tier)
            WHERE NOT EXISTS (SELECT 1 FROM share_groups h WHERE h.advocate = g.advocate AND h.venue = g.venue AND h.tier = t.tier)
            ORDER BY 1, 2, 5 LIMIT 4;
            """ + Self.backToVersionEleven + "UPDATE meta SET value = '11' WHERE key = 'schema_version';")
        let lost = "SELECT DISTINCT venue FROM share_groups WHERE network = 'lost'"
        let venues = try connection.query(lost)
        #expect(venues.count > 0)
        let tiers = (0..<venues.count).map { row in
            ControlRequest(command: .tiers, query: Query(filter: QueryFilter(venue: venues.string(row, 0))))
        }
        let migrated = try Self.migrated(cluster, database, from: 11)
        #expect(try migrated.rollupsBuilding() == [CountedGroups.table, HourGroupRows.table])
        let indexes = "SELECT indexname FROM pg_indexes WHERE tablename = 'share_groups' AND indexname LIKE '%_by_%' ORDER BY 1"
        #expect(try connection.query(indexes).count == 1)
        SharedRollupTests.expectSameAnswers(connection, tiers)
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try Self.buildInSteps(migrated, connection, nodes, &chain) > 3)
        #expect(try connection.query(lost).count == 0)
        let made = try connection.query(indexes)
        #expect((0..<made.count).map { made.string($0, 0) ?? "" }
                == ["share_groups_by_campaign_network", "share_groups_by_key", "share_groups_by_venue_network"])
        SharedRollupTests.expectSameAnswers(connection, tiers)
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)
        SharedRollupTests.expectSameAnswers(connection, tiers)
        try Self.expectRefused(connection, shipmentVersion: 11, foldVersion: 11)
    }

    /// Version 9 lacks the rollup per advocate and campaign (its shipments' guard wants 9, its
    /// folds' 8); version 10 has it without each row's advocate and campaign (both guards want 10).
    @Test("a store at schema version 9 or 10 gets its rollup per advocate and campaign (again, with each row's advocate and campaign) summed in steps, exact at every step; that version's shipments and folds are then refused",
          arguments: [(9, backToVersionNine, 99, 9, 8), (10, backToVersionTen, 1010, 10, 10)] as [(Int, String, UInt64, Int, Int)])
    func migratesVersionNineOrTen(version: Int, back: String, seed: UInt64, shipmentVersion: Int, foldVersion: Int) throws {
        try Self.expectNewRollups([.campaignAdvocates], from: version, back, seed: seed,
                                  rows: "SELECT count(*) FROM rollup_campaign_advocates",
                                  summed: "SELECT count(DISTINCT (advocate, campaign)) FROM rollup_groups JOIN share_groups USING (id)",
                                  shipmentVersion: shipmentVersion, foldVersion: foldVersion)
    }

    /// A store taken back to `version` by `back`, its last shipment not folded, migrated: its
    /// `new` rollups are empty and being built; summed in steps, with shipments, folds and renames
    /// between the first ones, they are exact at every step (`buildInSteps`), and once built, the
    /// last of them holds a row (`rows` counts them) per group of the rollup it was summed from
    /// (`summed` counts those); a daemon of `version` still connected, whose shipments and folds
    /// say the versions given, is refused.
    static func expectNewRollups(_ new: [Rollup], from version: Int, _ back: String, seed: UInt64, rows: String,
                                 summed: String, shipmentVersion: Int, foldVersion: Int) throws {
        var (connection, migrated, nodes, chain) = try migratedWithRowsToFold(from: version, back, seed: seed)
        #expect(try connection.query(rows).int64(0, 0) == 0)
        #expect(try migrated.rollupsBuilding()
                == new.map(\.table) + (version < TierAdvocates.version ? [TierAdvocates.table] : [])
                    + [CountedGroups.table, HourGroupRows.table])
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try buildInSteps(migrated, connection, nodes, &chain) > 3 * new.count)
        try migrated.fold()
        #expect(try connection.query(rows).int64(0, 0) > 5)
        #expect(try connection.query(rows).int64(0, 0) == connection.query(summed).int64(0, 0))
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)
        try SharedRollupTests.ship(10, of: &chain, to: nodes)
        try expectRefused(connection, shipmentVersion: shipmentVersion, foldVersion: foldVersion)
        try SharedRollupTests.expectExact(connection, &chain)
    }

    /// Builds `store`'s rollups in steps of `rows` rows of their source (and the rest of the last
    /// share group), with two random shipments of `chain` (renames among them) and a fold after
    /// each of the first `shipping` steps; after every step the rollups, those being built
    /// up to their mark, and the answers are exact (`SharedRollupTests.expectExact`). Returns the
    /// steps taken.
    static func buildInSteps(_ store: SharedStore, _ connection: PostgresConnection, _ nodes: [SharedStore],
                             _ chain: inout RandomChain, rows: Int = 3, shipping: Int = 8) throws -> Int {
        var steps = 0
        var building = try store.rollupsBuilding()
        while !building.isEmpty && steps < 1000 {
            building = try #require(try store.buildRollups(rows: rows))
            steps += 1
            if steps <= shipping {
                try SharedRollupTests.ship(2, of: &chain, to: nodes)
                try nodes[steps % nodes.count].fold()
            }
            try SharedRollupTests.expectExact(connection, &chain, count: 10)
        }
        #expect(try building.isEmpty && store.rollupsBuilding().isEmpty)
        return steps
    }
}
