import Foundation
import ShareTrackCore
import ShareTrackShared
import ShareTrackStore
import Testing

/// The rollup log rewritten once it is mostly empty space (`SharedStore.compactRollupLog`): after a
/// burst the folds caught up with, with rows left at the end of its heap.
@Suite("Shared store log compaction")
struct SharedLogCompactionTests {
    /// A store filled by three nodes of the daemons' role (who own its tables), its log then grown
    /// by `orphans` rows whose share never came, all deleted but the last two, as folds leave it.
    static func bloated(orphans: Int, seed: UInt64)
        throws -> (store: SharedStoreFixture, nodes: [SharedStore], chain: RandomChain, connection: PostgresConnection)
    {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let nodes = try (0..<3).map { try store.node($0) }
        var chain = RandomChain(seed: seed, nodes: nodes.count)
        try SharedRollupTests.ship(30, of: &chain, to: nodes)
        let connection = try store.connect()
        try connection.execute("""
            INSERT INTO rollup_log SELECT 'orphan-' || i, \(RandomChain.hour0), 0, 0, 1, 1, 0, 0, 0
                FROM generate_series(1, \(orphans)) i;
            DELETE FROM rollup_log WHERE token LIKE 'orphan-%' AND token NOT IN ('orphan-\(orphans - 1)', 'orphan-\(orphans)');
            """)
        try connection.execute("VACUUM rollup_log")
        return (store, nodes, chain, connection)
    }

    static func heapBytes(_ connection: PostgresConnection) throws -> Int64 {
        try connection.query("SELECT pg_relation_size('rollup_log')").int64(0, 0)
    }

    static func logRows(_ connection: PostgresConnection) throws -> [String] {
        let rows = try connection.query("SELECT l::text FROM rollup_log l ORDER BY 1")
        return (0..<rows.count).map { rows.string($0, 0) ?? "" }
    }

    @Test("a log of few rows in a large heap is rewritten with every row, under a snapshot taken before; a full one is left")
    func compacts() throws {
        var (store, nodes, chain, connection) = try Self.bloated(orphans: 60_000, seed: 5)
        let rows = try Self.logRows(connection)
        let before = try Self.heapBytes(connection)
        #expect(before > 2 << 20, "a plain VACUUM hands back none of the heap: \(before) bytes")
        #expect(try nodes[0].compactRollupLog(minimumBytes: before) == nil, "not past the minimum")

        // A snapshot taken before the rewrite, not reading the log yet (so holding no lock on it).
        let reader = try store.connect()
        try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM shares")
        let compacted = try #require(try nodes[0].compactRollupLog(minimumBytes: 1 << 20))
        #expect(compacted.before == before && compacted.after < before / 8, "\(compacted)")
        #expect(try Self.heapBytes(connection) == compacted.after)
        #expect(try Self.logRows(reader) == rows, "the earlier snapshot still reads every row")
        try reader.execute("COMMIT")
        #expect(try Self.logRows(connection) == rows)
        try SharedRollupTests.expectExact(connection, &chain)

        // The rows fill the heap now: nothing to gain.
        #expect(try nodes[1].compactRollupLog(minimumBytes: 0) == nil)
    }

    /// What the server said to a connection (`SharedStore`'s `notices`).
    final class Notices {
        var messages: [String] = []
    }

    @Test("the rewrite does not wait for a reader of the log, and is tried again later; the server's warning goes to notices")
    func skipsWhileRead() throws {
        let (store, _, _, _) = try Self.bloated(orphans: 60_000, seed: 6)
        let notices = Notices()
        let node = try store.node(0, notices: { notices.messages.append($0) })
        let reader = try store.connect()
        try reader.execute("BEGIN; SELECT count(*) FROM rollup_log")
        #expect(try node.compactRollupLog(minimumBytes: 1 << 20) == nil)
        #expect(notices.messages.count == 1 && notices.messages.allSatisfy { $0.contains(#""rollup_log""#) }, "\(notices.messages)")
        try reader.execute("COMMIT")
        #expect(try node.compactRollupLog(minimumBytes: 1 << 20) != nil)
    }

    @Test("the daemon compacts a log past 16 MiB of few rows and logs it; its shipping goes on")
    func daemonCompacts() throws {
        let (store, _, _, connection) = try Self.bloated(orphans: 300_000, seed: 7)
        let before = try Self.heapBytes(connection)
        #expect(before > SharedStore.logCompactionBytes)
        let daemon = try store.daemon(node: "node-9")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "d1", kind: .click(visitor: "v1", bot: false), time: now)])
        try daemon.waitUntilShipped()
        #expect(eventually { daemon.log.contains("shared store: compacted the rollup log") }, "\(daemon.log)")
        #expect(try Self.heapBytes(connection) < before / 8)
        #expect(try Self.logRows(connection).contains { $0.hasPrefix("(d1,") })
        #expect(try daemon.stop() == 0)
    }
}
