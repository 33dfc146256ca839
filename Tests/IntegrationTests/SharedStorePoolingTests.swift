import Foundation
import Glibc
import ShareTrackShared
import Testing

/// More daemons than the PostgreSQL server takes connections, through PgBouncer in transaction
/// pooling mode: shipping keeps no session state, so every node's batches land exactly once.
@Suite("Shared store through a pooler", .serialized)
struct SharedStorePoolingTests {
    static let nodes = 8
    static let poolSize = 2

    @Test("eight nodes through PgBouncer (transaction mode) into a server taking three: every batch exactly once")
    func moreNodesThanServerConnections() throws {
        // Three connections for roles that are not superusers (three more are reserved).
        let cluster = try PostgresCluster(maxConnections: 6)
        var store = try SharedStoreFixture(cluster: cluster)
        do {
            let role = cluster.uri(store.database, role: PostgresCluster.passwordRole)
            let taken = try (0..<3).map { _ in try PostgresConnection(role, password: PostgresCluster.password) }
            let refused = #expect(throws: PostgresError.self) {
                try PostgresConnection(role, password: PostgresCluster.password)
            }
            #expect(refused?.description.contains("connection slots are reserved") == true, "\(String(describing: refused))")
            withExtendedLifetime(taken) {}
        }

        let bouncer = try PgBouncer(cluster: cluster, poolSize: Self.poolSize)
        store.uri = bouncer.uri(store.database)
        let daemons = try (0..<Self.nodes).map { try store.daemon(node: "node-\($0)") }
        var model = ReferenceModel()
        let now = Int64(Date().timeIntervalSince1970)
        var streams = EventStream(seed: 41)
        let events = (0..<Self.nodes).map { node in
            // Tokens of its own, and clicks on one token every node sees, by the same visitors in
            // one hour (each visitor's unique click counts once, whichever node ships it first).
            streams.make(count: 1500, tokenPrefix: "n\(node)", source: "kiosk-\(node)")
                + (0..<20).map { TestEvent(token: "everywhere", kind: .click(visitor: "v\(($0 + node) % 25)", bot: false),
                                           time: now) }
        }
        for stream in events { for event in stream { _ = model.apply(event) } }

        // The nodes take turns, 300 events each: they all ship at the same time, in many batches.
        for start in stride(from: 0, to: events[0].count, by: 300) {
            for (node, daemon) in daemons.enumerated() {
                try daemon.send(Array(events[node][start..<min(start + 300, events[node].count)]))
            }
        }
        for daemon in daemons { try daemon.waitUntilShipped(timeout: 120) }

        let differences = try store.differences(from: model)
        #expect(differences.isEmpty, "rows differ: \(differences.prefix(8))")
        let connection = try store.connect()
        let nodes = try connection.query("SELECT node, events, generation FROM nodes ORDER BY node")
        #expect(nodes.count == Self.nodes)
        for (index, daemon) in daemons.enumerated() {
            let row = (0..<nodes.count).first { nodes.string($0, 0) == "node-\(index)" }
            #expect(row.map { nodes.int64($0, 1) } == Int64(events[index].count), "node-\(index)")
            #expect(row.map { nodes.int64($0, 2) } == Int64(try daemon.sharedStore()["shipped_generation"] as? Int ?? -1))
            #expect(daemon.log.components(separatedBy: "shipping fails").count == 1, "\(daemon.log)")
        }
        // The server never held more of the nodes' connections than the pool.
        let serving = try connection.query("SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND datname = $2",
                                           [PostgresCluster.passwordRole, store.database])
        #expect(serving.int64(0, 0) <= Int64(Self.poolSize))
        withExtendedLifetime(bouncer) {}
    }
}
