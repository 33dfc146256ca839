import Foundation
import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// The rollups a migration adds to a shared store, summed in steps after it (`SharedRollupBuilds`):
/// a rename that merges share groups meanwhile, and the real daemon doing the steps.
@Suite("Shared store rollup builds")
struct SharedRollupBuildTests {
    /// A batch of `generation` with a share of `token` by `advocate` at venue v9 (the other
    /// attributes alike), counting `clicks`.
    static func share(_ token: String, by advocate: String, clicks: Int64, generation: UInt64) -> Batch {
        var batch = Batch(generation: generation)
        let attributes = ShareAttributes(advocate: advocate, venue: "v9", campaign: "c9", network: "x", followers: 70)
        batch.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: RandomChain.hour0 * 3600))
        var counters = Counters()
        (counters.shares, counters.reach, counters.clicks) = (1, 70, clicks)
        batch.add(counters, at: CounterKey(token: token, hour: RandomChain.hour0))
        batch.events = 1
        return batch
    }

    @Test("a rename that merges share groups during a build starts it again; one that does not leaves it; both end exact")
    func renameDuringBuild() throws {
        var (cluster, database, nodes, chain) = try SharedSchemaMigrationTests.shipped(41, seed: 48)
        // b1 and b2 share at one venue (one share group each); b3's share, the newest, has its
        // counters in the rollup log only, so its share group has no rows of the sources.
        let shipped = try #require(try nodes[0].shippedGeneration())
        try nodes[0].ship(Shipment([Self.share("m1", by: "b1", clicks: 3, generation: shipped + 1),
                                    Self.share("m2", by: "b2", clicks: 4, generation: shipped + 2),
                                    Self.share("m3", by: "b3", clicks: 5, generation: shipped + 3)], batchTime: 0),
                          caughtUp: true)
        let connection = try cluster.connect(database)
        try connection.execute(SharedSchemaMigrationTests.backToVersionFour
                               + "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
        let migrated = try SharedSchemaMigrationTests.migrated(cluster, database, from: 4)
        for _ in 0..<4 { _ = try migrated.buildRollups(rows: 3) }
        let before = try SharedRollupBuilds.marks(connection)
        #expect(before.count == Rollup.built.count && before.values.contains { $0 > 0 }, "\(before)")

        // To a new pseudonym: no group merges, the marks stay.
        let renamed = Batch(generation: shipped + 4, erasing: [.advocate(id: "a1", pseudonym: "forgotten-b0")])
        try nodes[0].ship(Shipment([renamed], batchTime: 0), caughtUp: true)
        #expect(try SharedRollupBuilds.marks(connection) == before)
        try SharedRollupTests.expectExact(connection, &chain, count: 30)

        // b1 to b2, whose share group (same venue, campaign, network and tier) exists: the groups
        // merge, rows of the source move across the marks, so the builds start again, emptied.
        let merging = Batch(generation: shipped + 5, erasing: [.advocate(id: "b1", pseudonym: "b2")])
        try nodes[0].ship(Shipment([merging], batchTime: 0), caughtUp: true)
        #expect(try SharedRollupBuilds.marks(connection) == before.mapValues { _ in 0 })
        for rollup in Rollup.built {
            #expect(try connection.query("SELECT count(*) FROM \(rollup.table)").int64(0, 0) == 0, "\(rollup.table)")
        }
        try SharedRollupTests.expectExact(connection, &chain, count: 30)

        // The last step numbers the groups of every share group left, b3's too (no rows in the
        // sources yet): the fold after the build finds them.
        #expect(try SharedSchemaMigrationTests.buildInSteps(migrated, connection, nodes, &chain, shipping: 0) > 12)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)
        let clicks = try connection.query("""
            SELECT g.advocate, r.clicks FROM rollup_venue_advocates r JOIN venue_advocate_groups g USING (id)
            WHERE g.venue = 'v9' ORDER BY g.advocate
            """)
        #expect((0..<clicks.count).map { "\(clicks.string($0, 0) ?? "") \(clicks.int64($0, 1))" } == ["b2 7", "b3 5"])
        let inCampaign = try connection.query("""
            SELECT g.advocate, r.clicks FROM rollup_campaign_advocates r JOIN campaign_advocate_groups g USING (id)
            WHERE g.campaign = 'c9' ORDER BY g.advocate
            """)
        #expect((0..<inCampaign.count).map { "\(inCampaign.string($0, 0) ?? "") \(inCampaign.int64($0, 1))" } == ["b2 7", "b3 5"])
    }

    @Test("the daemon that migrates a store sums its new rollups in the background and says so; they are then exact")
    func daemonBuilds() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        // Filled by nodes of the daemons' role (who must own what the migration alters), taken back to version 4.
        let nodes = try (0..<3).map { try store.node($0) }
        var chain = RandomChain(seed: 91, nodes: nodes.count)
        try SharedRollupTests.ship(40, of: &chain, to: nodes)
        let connection = try store.connect()
        try connection.execute(SharedSchemaMigrationTests.backToVersionFour
                               + "UPDATE meta SET value = '4' WHERE key = 'schema_version';")

        let daemon = try store.daemon(node: "node-9")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "d1", kind: .click(visitor: "v1", bot: false), time: now)])
        try daemon.waitUntilShipped()
        #expect(eventually { daemon.log.contains("shared store: rollups built s=") }, "\(daemon.log)")
        let building = Rollup.all.filter(Rollup.built.contains).map(\.table)
            + [TierAdvocates.table, CountedGroups.table, HourGroupRows.table]
        #expect(daemon.log.contains("shared store: building rollups in the background; answers stay exact, some slower "
                                    + "until built rollups=\(building.joined(separator: ","))\n"), "\(daemon.log)")
        #expect(try SharedRollupBuilds.marks(connection) == [:] && !TierAdvocates.fill.remains(connection)
                && !CountedGroups.check.remains(connection) && !HourGroupRows.fill.remains(connection))
        try SharedRollupTests.expectExact(connection, &chain)
        for rollup in Rollup.built {
            #expect(try connection.query("SELECT count(*) FROM \(rollup.table)").int64(0, 0) > 0, "\(rollup.table)")
        }
        #expect(try daemon.stop() == 0)
    }

    /// A store that one node shipped 20 random shipments of `seed` to, taken back to `version` by
    /// `back`, and the node of this version that then migrated it (its builds left to do).
    static func migrated(from version: Int, _ back: String, seed: UInt64)
        throws -> (store: SharedStoreFixture, chain: RandomChain, connection: PostgresConnection, node: SharedStore)
    {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        var chain = RandomChain(seed: seed, nodes: 1)
        try SharedRollupTests.ship(20, of: &chain, to: [try store.node(0)])
        let connection = try store.connect()
        try connection.execute(back + "UPDATE meta SET value = '\(version)' WHERE key = 'schema_version';")
        return (store, chain, connection, try store.node(0))
    }

    @Test("status lists the store's rollups being built while another node holds the fold's lock, and not once they are")
    func statusListsBuilds() throws {
        // The rollups of versions 5-7 wait to be built.
        var (store, chain, connection, _) = try Self.migrated(from: 4, SharedSchemaMigrationTests.backToVersionFour, seed: 92)
        try connection.execute("SELECT pg_advisory_lock(\(RollupLog.foldLockKey))")

        let daemon = try store.daemon(node: "node-9")
        let building = Rollup.all.filter(Rollup.built.contains).map(\.table)
            + [TierAdvocates.table, CountedGroups.table, HourGroupRows.table]
        #expect(try eventually { try daemon.sharedStore()["rollups_building"] as? [String] == building },
                "\((try? daemon.sharedStore()) ?? [:])")
        let text = try SharectlTests.sharectl(["status", "--socket", daemon.controlSocket]).stdout
        #expect(text.contains("shared store rollups: building \(building.joined(separator: ", ")) in the background"), "\(text)")
        try connection.execute("SELECT pg_advisory_unlock(\(RollupLog.foldLockKey))")
        // A batch wakes the shipper at once (else its 10 s tick would).
        try daemon.send([TestEvent(token: "d1", kind: .click(visitor: "v1", bot: false), time: Int64(Date().timeIntervalSince1970))])
        #expect(eventually { daemon.log.contains("shared store: rollups built s=") }, "\(daemon.log)")
        #expect(try daemon.sharedStore()["rollups_building"] == nil)
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try daemon.stop() == 0)
    }

    @Test("a node that finds the fold's lock held at every step stops listing the builds once the node holding it has done them")
    func statusFollowsAnotherNodesBuilds() throws {
        // The hourly rows' attributes wait to be filled.
        var (store, chain, connection, builder) = try Self.migrated(from: 15, SharedSchemaMigrationTests.backToVersionFifteen,
                                                                     seed: 93)
        try builder.connection.execute("SELECT pg_advisory_lock(\(RollupLog.foldLockKey))")

        let daemon = try store.daemon(node: "node-9")
        #expect(try eventually { try daemon.sharedStore()["rollups_building"] as? [String] == [HourGroupRows.table] },
                "\((try? daemon.sharedStore()) ?? [:])")
        // The node holding the lock (its own steps take it again) does them all.
        while try builder.buildRollups(rows: 100_000) != [] {}
        try daemon.send([TestEvent(token: "d1", kind: .click(visitor: "v1", bot: false), time: Int64(Date().timeIntervalSince1970))])
        #expect(try eventually { try daemon.sharedStore()["rollups_building"] == nil }, "\((try? daemon.sharedStore()) ?? [:])")
        #expect(!daemon.log.contains("shared store: rollups built s="), "\(daemon.log)")
        try builder.connection.execute("SELECT pg_advisory_unlock(\(RollupLog.foldLockKey))")
        try SharedRollupTests.expectExact(connection, &chain)
        #expect(try daemon.stop() == 0)
    }
}
