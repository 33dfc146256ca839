import Foundation
import Glibc
import ShareTrackStore
import Testing

/// A database from before the rollups (schema 4) under the real daemon: it starts serving at once,
/// answers the same before and after, and builds the rollups in the background.
@Suite("rollups of an older database", .serialized)
struct RollupBuildTests {
    static let queries: [[String]] = [
        ["top"], ["top", "--by", "engagement", "--since", "24h"], ["venues", "--network", "instagram"], ["tiers"],
        ["advocate", "ann"], ["share", "s1"],
    ]

    static func answers(_ socket: String) throws -> [String] {
        try queries.map { query in
            let run = try SharectlTests.sharectl(query + ["--json", "--socket", socket])
            #expect(run.status == 0, "\(query): \(run.stderr)")
            return run.stdout
        }
    }

    @Test("the daemon builds the rollups of a schema-4 database in the background, answers unchanged")
    func olderDatabase() throws {
        let first = try SharectlTests.populatedDaemon()
        let expected = try Self.answers(first.controlSocket)
        #expect(try first.stop() == 0)
        // Back to the schema before the rollups (and before version 10's visitors in counter rows:
        // the answers compared here do not read visitors).
        let old = try Database(path: first.database, mode: .readWrite)
        let tables = try old.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'rollup%' OR name LIKE '%_groups')")
            .rows { $0.string(0) ?? "" }
        #expect(tables.count == Rollup.all.count + GroupTable.all.count + 1)  // and rollup_progress
        try old.execute(tables.map { "DROP TABLE \($0);" }.joined()
            + "DELETE FROM meta WHERE key = 'advocates_renamed'; PRAGMA user_version = 4;"
            + "DROP INDEX counters_visitors_by_hour; ALTER TABLE counters DROP COLUMN visitors;")

        let daemon = try DaemonProcess(directory: first.directory, arguments: ["--flush-interval", "0.2"])
        #expect(try Self.answers(daemon.controlSocket) == expected)
        let deadline = Date().addingTimeInterval(20)
        while !daemon.log.contains("rollups built") {
            guard Date() < deadline else { throw TestFailure("no 'rollups built' in 20 s:\n\(daemon.log)") }
            usleep(50_000)
        }
        let database = try daemon.openDatabase()
        #expect(try database.prepare("SELECT COUNT(*) FROM rollup_progress").rows { $0.int64(0) } == [0])
        #expect(try database.prepare("SELECT SUM(clicks) FROM rollup_advocates").rows { $0.int64(0) } == [5])
        #expect(try Self.answers(daemon.controlSocket) == expected)
        #expect(try daemon.stop() == 0)
    }
}
