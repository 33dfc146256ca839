import Foundation
import Glibc
import ShareTrackStore
import TestSupport
import Testing

/// A database from before the rollups (schema 4), or before the rollups per hour alone and per
/// advocate alone (schema 7) or per advocate and venue (schema 10), under the real daemon: it
/// starts serving at once, answers the same before and after, and builds the rollups in the
/// background.
@Suite("rollups of an older database", .serialized)
struct RollupBuildTests {
    static let queries: [[String]] = [
        ["top"], ["top", "--by", "engagement", "--since", "24h"], ["venues", "--network", "instagram"], ["tiers"],
        ["advocate", "ann"], ["share", "s1"], ["top", "--venue", "cafe"], ["top", "--venue", "bar", "--by", "engagement"],
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
        try old.backToVersionEighteen()
        let tables = try old.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'rollup%' OR name LIKE '%_groups')")
            .rows { $0.string(0) ?? "" }
        #expect(tables.count == Rollup.all.count + GroupTable.all.count + 2)  // and rollup_progress, rollup_builds
        try old.execute(tables.map { "DROP TABLE \($0);" }.joined()
            + "DELETE FROM meta WHERE key = 'advocates_renamed'; PRAGMA user_version = 4;"
            + "DROP INDEX counters_visitors_by_hour; ALTER TABLE counters DROP COLUMN visitors;")

        let daemon = try DaemonProcess(directory: first.directory, arguments: ["--flush-interval", "0.2"])
        #expect(try Self.answers(daemon.controlSocket) == expected)
        try Self.waitForRollups(daemon)
        let database = try daemon.openDatabase()
        #expect(try database.prepare("SELECT COUNT(*) FROM rollup_progress").rows { $0.int64(0) } == [0])
        #expect(try database.prepare("SELECT SUM(clicks) FROM rollup_advocates").rows { $0.int64(0) } == [5])
        #expect(try Self.answers(daemon.controlSocket) == expected)
        #expect(try daemon.stop() == 0)
    }

    @Test("the daemon sums the newer rollups of a schema-7, 10 or 12 database in the background, answers unchanged, then kept as events come",
          arguments: [7, 10, 12])
    func newerRollups(version: Int) throws {
        let first = try SharectlTests.populatedDaemon()
        let expected = try Self.answers(first.controlSocket)
        #expect(try first.stop() == 0)
        switch version {
        case 7: try DatabaseRows.backToVersionSeven(first.database)
        case 10: try Database(path: first.database, mode: .readWrite).backToVersionTen()
        default: try Database(path: first.database, mode: .readWrite).backToVersionTwelve()
        }

        // The first step waits for the first flush, 3 s after the start: `status` lists them all,
        // and the answers come from the other rollups.
        let started = Date()
        let daemon = try DaemonProcess(directory: first.directory, arguments: ["--flush-interval", "3"])
        let building = (version == 7 ? ["rollup_advocate_totals"] : []) + (version < 12 ? ["rollup_venue_advocates"] : [])
            + ["rollup_campaign_advocates"] + (version == 7 ? ["rollup_hours"] : [])
            + ["share_groups_by_campaign_tier", "share_groups_by_venue_tier_campaign"]
        #expect(try Self.rollupsBuilding(daemon) == building)
        let text = try SharectlTests.sharectl(["status", "--socket", daemon.controlSocket]).stdout
        let line = text.split(separator: "\n").first { $0.hasPrefix("rollups:") }
        #expect(line?.hasSuffix(" building \(building.joined(separator: ", ")) in the background "
                                + "(answers exact; some slower until built)") == true, "\(text)")
        #expect(try Self.answers(daemon.controlSocket) == expected)
        // With nothing to apply, the steps go on after the first flush (`Flusher.rollupBuildSeconds`):
        // each rollup's one step here, without waiting a flush interval for each.
        try Self.waitForRollups(daemon)
        #expect(Date().timeIntervalSince(started) < 6)
        #expect(try Self.rollupsBuilding(daemon) == nil)
        let database = try daemon.openDatabase()
        #expect(try database.prepare("SELECT COUNT(*) FROM rollup_builds").rows { $0.int64(0) } == [0])
        // ann at cafe (3 clicks), ann at bar (1), bob at cafe (1, and a bot's), in two hours at most.
        func sums(_ table: String) throws -> [Int64] {
            try database.prepare("SELECT SUM(clicks), COUNT(*) FROM \(table)").rows { [$0.int64(0), $0.int64(1)] }[0]
        }
        #expect(try sums("rollup_venue_advocates") == [5, 3])
        #expect(try sums("rollup_campaign_advocates") == [5, 3])
        #expect(try sums("rollup_advocate_totals") == [5, 2])
        #expect(try sums("rollup_hours")[0] == 5)
        #expect(try Self.answers(daemon.controlSocket) == expected)
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"s1","visitor":"c"}"#]) == [#"{"ok":true}"#])
        #expect(try SharectlTests.sharectl(["flush", "--socket", daemon.controlSocket]).status == 0)
        for filter in [["--venue", "cafe"], ["--campaign", "spring"]] {
            let top = try SharectlTests.sharectl(["top", "--json", "--socket", daemon.controlSocket] + filter)
            let rows = try JSONSerialization.jsonObject(with: Data(top.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.first?["advocate"] as? String == "ann" && rows?.first?["clicks"] as? Int == 4, "\(top.stdout)")
        }
        #expect(try daemon.stop() == 0)
    }

    /// `status`'s `rollups_building` (nil: absent).
    static func rollupsBuilding(_ daemon: DaemonProcess) throws -> [String]? {
        let status = try SharectlTests.sharectl(["status", "--json", "--socket", daemon.controlSocket])
        let fields = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(fields?["version"] != nil, "\(status.stdout)")
        return fields?["rollups_building"] as? [String]
    }

    /// Waits up to 20 s for `daemon`'s log to say its rollups are built (`Flusher.buildRollups`),
    /// after it said at start that it builds them.
    static func waitForRollups(_ daemon: DaemonProcess) throws {
        #expect(daemon.log.contains("building the rollups of \(daemon.database) in the background"), "\(daemon.log)")
        let deadline = Date().addingTimeInterval(20)
        // The line `Flusher.buildRollups` logs, not the start's, which names it.
        while !daemon.log.contains("rollups built: ") {
            guard Date() < deadline else { throw TestFailure("no 'rollups built: ' in 20 s:\n\(daemon.log)") }
            usleep(50_000)
        }
    }
}
