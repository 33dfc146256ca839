import Foundation
import Glibc
import Testing

/// A large export from a shared store streams: `sharectl` reads the rows through a cursor, in
/// bounded memory, from one snapshot that rows shipped meanwhile do not change.
@Suite("Shared store: export streaming", .serialized)
struct SharedExportStreamingTests {
    /// A store whose schema a daemon made, filled straight in SQL with `shares` shares
    /// (`big00000001`, ...) and `hours` counter rows each (3 clicks per row).
    static func filledStore(shares: Int, hours: Int) throws -> (SharedStoreFixture, DaemonProcess) {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let node = try store.daemon(node: "venue-a")
        let connection = try store.connect()
        let created = try eventually {
            try connection.query("SELECT to_regclass('counters') IS NOT NULL").string(0, 0) == "t"
        }
        if !created { throw TestFailure("the daemon made no schema: \(node.log)") }
        try connection.execute("""
            INSERT INTO shares (token, advocate, venue, campaign, network, followers, tier, time, node)
            SELECT 'big' || lpad(i::text, 8, '0'), 'advocate-' || (i % 5000), 'venue-' || (i % 20), 'campaign-' || (i % 3),
                'instagram', i % 20000, CASE WHEN i % 20000 <= 999 THEN 'nano' WHEN i % 20000 <= 5000 THEN 'micro'
                ELSE 'mid' END, 1790000000, 'venue-a' FROM generate_series(1, \(shares)) i;
            INSERT INTO counters (token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value)
            SELECT token, 497222 + k, (k = 0)::int, CASE WHEN k = 0 THEN followers ELSE 0 END, 3, 2, 1, k % 2, 12.5
            FROM shares, generate_series(0, \(hours - 1)) k;
            ANALYZE
            """)
        return (store, node)
    }

    @Test("a large export streams: sharectl's memory does not grow with the rows, every row once")
    func boundedMemory() throws {
        let (shares, hours) = (ExportMemoryTests.shares, ExportMemoryTests.hoursPerShare)
        let (store, _) = try Self.filledStore(shares: shares, hours: hours)
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/export.csv"
        let export = ["export", "--db", store.cluster.conninfo(store.database), "--output", output]
        // sharectl with libpq connected, exporting no row: what a large export may add to is this.
        let idle = try ExportMemoryTests.exportSampling(export + ["--venue", "none"], daemon: nil).sharectl
        let started = Date()
        let peak = try ExportMemoryTests.exportSampling(export, daemon: nil).sharectl
        let seconds = Date().timeIntervalSince(started)
        let rows = shares * hours
        #expect(try ExportMemoryTests.lineCount(output) == rows + 1)
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("export of \(rows) rows from the shared store (\(size / 1_048_576) MiB of CSV): "
              + "\(String(format: "%.1f", seconds)) s, sharectl peak \(peak / 1024) MiB (\(idle / 1024) MiB for no row)")
        // Two fetches of rows in memory at most, and the 64 KiB being written.
        #expect(peak - idle < 8 * 1024, "sharectl peaked at \(peak) KB, \(idle) KB for no row")
        #expect(size > 4 * 8 * 1024 * 1024, "the export is far larger than the bound")
        let last = try runCommand("/usr/bin/tail", ["-n", "1", output]).output
        #expect(last.hasPrefix("2026-09-21T") && last.contains(",big\(String(format: "%08d", shares)),"), "\(last)")
    }

    @Test("one snapshot: rows shipped while an export is under way are not in it, however late it reads them")
    func oneSnapshot() throws {
        let (shares, hours) = (5_000, 10)
        let (store, _) = try Self.filledStore(shares: shares, hours: hours)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharectl"))
        process.arguments = ["export", "--db", store.cluster.conninfo(store.database)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Its first rows: the snapshot is taken. Not read further yet, sharectl stops once the
        // pipe is full, two fetches (10,000 rows) in at most.
        let first = pipe.fileHandleForReading.availableData
        let connection = try store.connect()
        try connection.execute("""
            UPDATE counters SET clicks = clicks + 1000 WHERE token = 'big\(String(format: "%08d", shares))';
            INSERT INTO counters (token, hour, clicks) VALUES ('zzz-late', 497222, 5), ('big00000001', 400000, 7);
            """)
        let text = String(decoding: first + pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(whereSeparator: \.isNewline)
        #expect(lines.count == shares * hours + 1)
        #expect(!text.contains("zzz-late") && !text.contains("2015-08-19T16:00:00Z") && !text.contains(",1003,2,1,"),
                "rows shipped later")
        #expect(lines.last?.contains(",big\(String(format: "%08d", shares)),") == true && lines.last?.contains(",3,2,1,") == true,
                "\(lines.last ?? "")")
        // A new export sees them.
        let after = try SharectlTests.sharectl(["export", "--db", store.cluster.conninfo(store.database)]).stdout
        #expect(after.contains("zzz-late") && after.contains("2015-08-19T16:00:00Z") && after.contains(",1003,2,1,"))
    }
}
