import Dispatch
import Foundation
import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Synchronization
import Testing

/// The shared store's rollups against the raw rows, on a real PostgreSQL: random shipments from
/// three nodes (`RandomChain`: tokens shared on two nodes, orphans whose share arrives through
/// another node, a visitor's clicks through several nodes, `forget` of advocates and visitors),
/// then every rollup table equals the aggregation of the counters joined with their shares, row
/// for row, and every query answered from the rollups equals the answer from the raw rows
/// (`SharedQueries(readsRollups: false)`), byte for byte.
@Suite("Shared store rollups")
struct SharedRollupTests {
    /// A fresh database in the test cluster, and `count` nodes' connections to it (each migrates it).
    private static func stores(_ count: Int) throws -> (cluster: PostgresCluster, database: String, nodes: [SharedStore]) {
        let cluster = try PostgresCluster.shared.get()
        let database = try cluster.createDatabase()
        let nodes = try (0..<count).map { index in
            try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-\(index)",
                            databaseID: Int64(index + 1), keyFingerprint: nil, keyFile: "")
        }
        return (cluster, database, nodes)
    }

    /// Ships `count` random shipments of `chain`, each with the node that made it.
    private static func ship(_ count: Int, of chain: inout RandomChain, to nodes: [SharedStore]) throws {
        for _ in 0..<count {
            let (node, shipment) = chain.nextShipment()
            try nodes[node].ship(shipment, caughtUp: true)
        }
    }

    /// Per rollup table, the rows that differ from the raw aggregation (either way).
    static func rollupDifferences(_ connection: PostgresConnection) throws -> [String: Int64] {
        var differences: [String: Int64] = [:]
        for rollup in Rollup.all {
            let key = (rollup.hourly ? ["c.hour"] : []) + ["g.id"]
            let matches = rollup.groups.attributes.map { $0 == "campaign" ? "g.campaign = coalesce(s.campaign, '')" : "g.\($0) = s.\($0)" }
            let stored = (rollup.key + Rows.counterNames).joined(separator: ", ")
            let count = try connection.query("""
                WITH raw AS (
                    SELECT \(key.joined(separator: ", ")), \(Rows.counterNames.map { "sum(c.\($0))" }.joined(separator: ", "))
                    FROM counters c JOIN shares s USING (token) JOIN \(rollup.groups.table) g ON \(matches.joined(separator: " AND "))
                    WHERE \(Rows.counted)
                    GROUP BY \(key.joined(separator: ", "))
                )
                SELECT count(*) FROM (
                    (SELECT \(stored) FROM \(rollup.table) EXCEPT SELECT * FROM raw)
                    UNION ALL (SELECT * FROM raw EXCEPT SELECT \(stored) FROM \(rollup.table))
                ) AS different
                """).int64(0, 0)
            if count != 0 { differences[rollup.table] = count }
        }
        return differences
    }

    /// An answer as JSON, or its error.
    static func answer(_ queries: SharedQueries, _ request: ControlRequest) -> String {
        do {
            return String(decoding: try ControlCodec.encoder().encode(try queries.answer(request, now: 0)), as: UTF8.self)
        } catch {
            return "error: \(error)"
        }
    }

    /// The rollups equal the raw aggregation, and `count` random requests get the same answers from both.
    static func expectExact(_ connection: PostgresConnection, _ chain: inout RandomChain, count: Int = 120) throws {
        #expect(try rollupDifferences(connection) == [:])
        let (fast, raw) = (SharedQueries(connection), SharedQueries(connection, readsRollups: false))
        for request in chain.requests(count: count) {
            #expect(answer(fast, request) == answer(raw, request), "\(request)")
        }
    }

    @Test("rollups kept by random shipments from three nodes answer like the raw rows", arguments: [1, 2, 3] as [UInt64])
    func rollupsAnswerLikeTheRawRows(seed: UInt64) throws {
        let (cluster, database, nodes) = try Self.stores(3)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: seed, nodes: nodes.count)
        for _ in 0..<3 {
            try Self.ship(25, of: &chain, to: nodes)
            try Self.expectExact(connection, &chain)
        }
        // The data is not trivial: tokens won by one node and shipped by another, merged groups.
        let counts = try connection.query("""
            SELECT (SELECT count(*) FROM shares), (SELECT count(*) FROM counters c WHERE NOT EXISTS
                (SELECT 1 FROM shares s WHERE s.token = c.token)), (SELECT count(*) FROM rollup_hour_groups)
            """)
        #expect(counts.int64(0, 0) > 30 && counts.int64(0, 1) > 0 && counts.int64(0, 2) > 50)
    }

    @Test("nodes shipping at once, one the shares and two the clicks on them, keep the rollups exact")
    func concurrentShipmentsStayExact() throws {
        let (cluster, database, _) = try Self.stores(0)
        let hour = RandomChain.hour0
        // Node 0 shares token c<k> in its batch k; nodes 1 and 2 click on c<k> around then.
        let streams: [[Batch]] = (0..<3).map { node in
            (1...250).map { generation in
                var batch = Batch(generation: UInt64(generation))
                batch.events = 1
                if node == 0 {
                    let attributes = ShareAttributes(advocate: "a\(generation % 7)", venue: "v\(generation % 3)",
                                                     campaign: nil, network: "x", followers: 500)
                    batch.add(ShareRecord(token: "c\(generation)", attributes: attributes, tier: .nano, time: hour * 3600))
                    var counters = Counters()
                    (counters.shares, counters.reach) = (1, 500)
                    batch.add(counters, at: CounterKey(token: "c\(generation)", hour: hour))
                } else {
                    for token in generation - 2...generation + 2 {
                        var counters = Counters()
                        counters.clicks = Int64(node)
                        batch.add(counters, at: CounterKey(token: "c\(token)", hour: hour + Int64(node)))
                    }
                }
                return batch
            }
        }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: streams.count) { node in
            do {
                let store = try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-\(node)",
                                            databaseID: Int64(node + 1), keyFingerprint: nil, keyFile: "")
                for batch in streams[node] { try store.ship(Shipment([batch], batchTime: 0), caughtUp: true) }
            } catch {
                failures.withLock { $0.append("node-\(node): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let connection = try cluster.connect(database)
        #expect(try Self.rollupDifferences(connection) == [:])
        // Every click on a shared token is in the rollups (without the shipment lock, some are not).
        let clicks = try connection.query("SELECT sum(clicks) FROM rollup_places").int64(0, 0)
        let raw = try connection.query("SELECT sum(c.clicks) FROM counters c JOIN shares USING (token)").int64(0, 0)
        #expect(clicks == raw && raw > 0)
    }

    @Test("an advocate renamed to one whose groups exist merges its groups and rollup rows into theirs")
    func renameMergesGroups() throws {
        let (cluster, database, nodes) = try Self.stores(1)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: 9, nodes: 1)
        try Self.ship(20, of: &chain, to: nodes)
        // a1 and a2 share with the same venue, campaign, network and tier (one group each), then a1
        // is renamed a2: the two groups become one.
        let shipped = try #require(try nodes[0].shippedGeneration())
        var shares = Batch(generation: shipped + 1)
        for (token, advocate) in [("m1", "a1"), ("m2", "a2")] {
            let attributes = ShareAttributes(advocate: advocate, venue: "v9", campaign: "c9", network: "x", followers: 70)
            shares.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: RandomChain.hour0 * 3600))
            var counters = Counters()
            (counters.shares, counters.reach, counters.clicks) = (1, 70, 3)
            shares.add(counters, at: CounterKey(token: token, hour: RandomChain.hour0))
        }
        shares.events = 2
        try nodes[0].ship(Shipment([shares], batchTime: 0), caughtUp: true)
        let groups = "SELECT count(*) FROM share_groups WHERE venue = 'v9'"
        #expect(try connection.query(groups).int64(0, 0) == 2)
        let erasure = Batch(generation: shipped + 2, erasing: [.advocate(id: "a1", pseudonym: "a2")])
        try nodes[0].ship(Shipment([erasure], batchTime: 0), caughtUp: true)
        #expect(try connection.query(groups).int64(0, 0) == 1)
        #expect(try connection.query("SELECT count(*) FROM share_groups WHERE advocate = 'a1'").int64(0, 0) == 0)
        let merged = try connection.query("""
            SELECT r.shares, r.clicks FROM rollup_groups r JOIN share_groups g USING (id) WHERE g.venue = 'v9'
            """)
        #expect(merged.count == 1 && merged.int64(0, 0) == 2 && merged.int64(0, 1) == 6)
        try Self.expectExact(connection, &chain, count: 60)
    }
}

extension Batch {
    /// A batch of generation `generation` holding only `erasures`.
    init(generation: UInt64, erasing erasures: [Erasure]) {
        self.init(generation: generation)
        for erasure in erasures { add(erasure) }
        events = 1
    }
}
