import Dispatch
import Foundation
import ShareTrackCore
@testable import ShareTrackShared
import Synchronization
import Testing

/// Nodes shipping into one store at the same moment, each folding the rollup log after each
/// shipment as the shipper does, on a real PostgreSQL: the rollups and the log stay exact at every
/// instant (a reader checks, one snapshot at a time, while they ship) and after a final fold.
@Suite("Shared store: nodes at once")
struct SharedConcurrencyTests {
    /// Ships each of `streams` from its own node (a thread and a connection each), every node
    /// folding after each shipment, while a reader compares the rollups and the log with the raw
    /// rows; then folds what is left. Returns what the threads counted.
    private static func shipAtOnce(_ streams: [[Batch]], cluster: PostgresCluster, database: String) throws -> Tally.State {
        let folder = try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "folder",
                                     databaseID: 1000, keyFingerprint: nil, keyFile: "")
        let tally = Tally(shipping: streams.count)
        let group = DispatchGroup()
        func run(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
            group.enter()
            Thread {
                do { try body() } catch { tally.state.withLock { $0.failures.append("\(name): \(error)") } }
                group.leave()
            }.start()
        }
        for node in streams.indices {
            run("node-\(node)") {
                defer { tally.state.withLock { $0.shipping -= 1 } }
                let store = try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-\(node)",
                                            databaseID: Int64(node + 1), keyFingerprint: nil, keyFile: "")
                for batch in streams[node] {
                    try store.ship(Shipment([batch], batchTime: 0), caughtUp: true)
                    let rows = try store.fold() ?? 0
                    tally.state.withLock { $0.folded += rows }
                }
            }
        }
        run("reader") {
            let connection = try cluster.connect(database)
            while tally.state.withLock({ $0.shipping > 0 }) {
                let differences = try SharedRollupTests.rollupDifferences(connection)
                tally.state.withLock { state in
                    if differences != [:] { state.failures.append("reader: \(differences)") }
                    state.checks += 1
                }
            }
        }
        group.wait()
        try #require(try folder.fold() != nil)
        return tally.state.withLock { $0 }
    }

    @Test("nodes shipping and folding at once, one the shares and two the clicks on them, keep rollups and log exact at every instant")
    func concurrentShipmentsStayExact() throws {
        let (cluster, database, _) = try SharedRollupTests.stores(0)
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
        let tallied = try Self.shipAtOnce(streams, cluster: cluster, database: database)
        #expect(tallied.failures == [])
        #expect(tallied.folded > 0 && tallied.checks > 0, "\(tallied)")
        let connection = try cluster.connect(database)
        #expect(try SharedRollupTests.rollupDifferences(connection) == [:])
        // Every click on a shared token is in the rollups, and the log holds only the orphans
        // (clicks on tokens node 0 never shares: c251 and c252).
        let clicks = try connection.query("SELECT sum(clicks) FROM rollup_places").int64(0, 0)
        let raw = try connection.query("SELECT sum(c.clicks) FROM counters c JOIN shares USING (token)").int64(0, 0)
        #expect(clicks == raw && raw > 0)
        let orphans = try connection.query("SELECT DISTINCT token FROM rollup_log ORDER BY token")
        #expect((0..<orphans.count).map { orphans.string($0, 0) } == ["c-1", "c0", "c251", "c252"])
    }

    @Test("an advocate renamed again and again while other nodes ship shares by that id: every share keeps its groups, exact")
    func renamesWhileSharesShip() throws {
        let (cluster, database, _) = try SharedRollupTests.stores(0)
        let hour = RandomChain.hour0
        // Nodes 0 and 1 share as advocate x (one group) with a click each; node 2 forgets x over
        // and over (each time a new pseudonym): shares shipped before a rename are renamed, later
        // ones are new data under x, and each must find its groups when folded.
        let streams: [[Batch]] = (0..<3).map { node in
            (1...150).map { generation in
                guard node < 2 else {
                    return Batch(generation: UInt64(generation), erasing: [.advocate(id: "x", pseudonym: "p\(generation)")])
                }
                var batch = Batch(generation: UInt64(generation))
                batch.events = 2
                let token = "n\(node)-\(generation)"
                let attributes = ShareAttributes(advocate: "x", venue: "v", campaign: nil, network: "n", followers: 10)
                batch.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: hour * 3600))
                var counters = Counters()
                (counters.shares, counters.reach, counters.clicks) = (1, 10, 1)
                batch.add(counters, at: CounterKey(token: token, hour: hour))
                return batch
            }
        }
        let tallied = try Self.shipAtOnce(streams, cluster: cluster, database: database)
        #expect(tallied.failures == [])
        let connection = try cluster.connect(database)
        #expect(try SharedRollupTests.rollupDifferences(connection) == [:])
        #expect(try SharedRollupTests.logRows(connection).all == 0)
        #expect(try connection.query("SELECT sum(clicks) FROM rollup_places").int64(0, 0) == 300)
    }
}

/// What the threads of `SharedConcurrencyTests.shipAtOnce` count.
private final class Tally: Sendable {
    struct State {
        var failures: [String] = []
        var shipping: Int
        var folded = 0
        var checks = 0
    }

    let state: Mutex<State>

    init(shipping: Int) {
        state = Mutex(State(shipping: shipping))
    }
}
