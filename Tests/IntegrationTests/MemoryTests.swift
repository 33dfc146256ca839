import Foundation
import Glibc
import ShareTrackStore
import Testing
import TestSupport

/// A large database (500,000 shares in the suite, 5 million under SHARETRACK_SOAK=1): the daemon
/// starts without loading it, and clicks on random old tokens (every one a cache miss at first)
/// keep RSS within the bound docs/reliability.md states.
@Suite("Memory", .serialized, .enabled(if: SQLiteShell.isAvailable))
struct MemoryTests {
    static let shares = Soak.size(suite: 500_000, soak: 5_000_000)
    static let clicks = Soak.size(suite: 100_000, soak: 2_500_000)

    /// Fills the daemon's schema with `count` shares, a counter row with a random visitor hash each (tokens
    /// `old00000001`...), with a recursive CTE.
    static func bulkInsert(_ database: String, count: Int) throws {
        let sql = """
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -200000;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO shares (token, advocate, venue, campaign, network, followers, tier, time)
            SELECT printf('old%08d', i), 'adv' || (i % 50000), 'venue' || (i % 100), NULL, 'instagram', i % 20000,
                   CASE WHEN i % 20000 <= 999 THEN 'nano' WHEN i % 20000 <= 5000 THEN 'micro' ELSE 'mid' END,
                   1790000000 + i % 2592000
            FROM n;
            INSERT INTO counters (token, hour, shares, reach, clicks, unique_clicks, visitors)
            SELECT token, time / 3600, 1, followers, 1, 1, randomblob(8) FROM shares;
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Database(path: database, mode: .readWrite).execute(sql)
    }

    @Test("a big database: start-up loads nothing, random old tokens keep RSS within the cache bound")
    func bigDatabase() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }  // hundreds of MB
        let empty = try DaemonProcess(directory: directory)
        let emptyRSS = empty.memoryKB()
        #expect(try empty.stop() == 0)
        var started = Date()
        try Self.bulkInsert(directory + "/sharetrack.db", count: Self.shares)
        let insertSeconds = Date().timeIntervalSince(started)

        started = Date()
        let daemon = try DaemonProcess(directory: directory, arguments: ["--flush-interval", "0.5"])
        let startSeconds = Date().timeIntervalSince(started)
        let startRSS = daemon.memoryKB()
        // Start-up reads no table: it listens at once and holds about what it holds on an empty database.
        #expect(startSeconds < 5, "start took \(startSeconds) s on \(Self.shares) shares")
        #expect(startRSS < emptyRSS + 32 * 1024, "RSS after start \(startRSS / 1024) MB, empty database \(emptyRSS / 1024) MB")

        // Clicks on random old tokens, each with a new visitor, on two pipelined connections.
        var random = SplitMix(seed: 99)
        let lines = (0..<Self.clicks).map { index in
            #"{"type":"click","share":"\#(String(format: "old%08d", 1 + random.next(below: Self.shares)))","visitor":"x\#(index)"}"#
        }
        started = Date()
        let halves = [Array(lines[..<(lines.count / 2)]), Array(lines[(lines.count / 2)...])]
        let clients = try halves.map { _ in try LineClient(path: daemon.ingestSocket, timeoutSeconds: 120) }
        for (client, half) in zip(clients, halves) {
            let thread = Thread {
                for chunk in stride(from: 0, to: half.count, by: 5000) {
                    try? client.send(lines: Array(half[chunk..<min(half.count, chunk + 5000)]))
                }
            }
            thread.start()
        }
        var peak = 0
        for (client, half) in zip(clients, halves) {
            for count in stride(from: 0, to: half.count, by: 10_000) {
                let answers = try client.readLines(min(10_000, half.count - count))
                #expect(answers.allSatisfy { $0 == #"{"ok":true}"# })
                peak = max(peak, daemon.memoryKB())
            }
        }
        let clickSeconds = Date().timeIntervalSince(started)
        let status = try daemon.status()
        let cached = status["cached_tokens"] as? Int ?? -1
        let totals = status["totals"] as? [String: Any] ?? [:]
        // Every click found its share in the database: none is an orphan.
        #expect(totals["orphans"] as? Int == 0)
        let peakRSS = max(peak, daemon.memoryKB("VmHWM"))
        // The bound (docs/reliability.md): the base, plus the token cache (at most one million tokens,
        // about 0.5 kB each with their visitors and the pending rows), plus the Bloom filter of every
        // token in the database (a few bytes each), plus the query engine's own attributions of the
        // live batches' tokens, which it may keep up for ten minutes after start (`QueryRunner.keepUp`;
        // at most `AttributionCache.capacity`, 200,000 tokens, about 0.5 kB each with their groups).
        let bound = emptyRSS + min(cached, 1_100_000) / 2 + min(cached, 200_000) / 2 + Self.shares / 100 + 64 * 1024
        #expect(cached <= 1_000_000 + Self.clicks / 4, "\(cached) tokens cached")
        #expect(peakRSS < bound, "peak RSS \(peakRSS / 1024) MB over the bound \(bound / 1024) MB")
        #expect(peakRSS < 1_024 * 1024, "peak RSS \(peakRSS / 1024) MB")
        print("""
            memory: \(Self.shares) shares inserted in \(Int(insertSeconds)) s; start \(Int(startSeconds * 1000)) ms, \
            RSS empty \(emptyRSS / 1024) MB, after start \(startRSS / 1024) MB; \(Self.clicks) clicks on old tokens in \
            \(String(format: "%.1f", clickSeconds)) s, \(cached) tokens cached, peak RSS \(peakRSS / 1024) MB \
            (bound \(bound / 1024) MB)
            """)

        #expect(try daemon.stop() == 0)
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters") == Self.shares + Self.clicks)
        #expect(try DatabaseRows.count(database, "SELECT SUM(unique_clicks) FROM counters") == Self.shares + Self.clicks)
    }
}
