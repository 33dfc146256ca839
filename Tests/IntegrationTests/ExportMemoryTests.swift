import Foundation
import Glibc
import ShareTrackCore
import ShareTrackStore
import Testing

/// A large export (350,000 rows in the suite, 3 million under SHARETRACK_SOAK=1) streams: the
/// daemon and sharectl stay in bounded memory, live and with --db. The peaks are printed.
@Suite("Export memory", .serialized)
struct ExportMemoryTests {
    static let shares = Soak.size(suite: 35_000, soak: 300_000)
    static let hoursPerShare = 10
    /// sharectl's peak and the daemon's growth while exporting, however many rows: less than the
    /// export itself (about 38 MiB in the suite).
    static let boundKB = 32 * 1024
    /// sharectl's own bound: 4 MiB more, for the libraries it links to read a shared store (libpq
    /// with its TLS, Kerberos and LDAP libraries: 2-3 MiB resident before any row) — still below
    /// the export's size.
    static let sharectlBoundKB = boundKB + 4 * 1024

    /// Makes a database with `shares` shares and `hoursPerShare` counter rows each, written
    /// straight into the daemon's schema.
    static func fill(_ database: String, shares: Int = shares) throws {
        let key = VisitorKey.random()
        let keyFile = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("visitor.key").path
        guard FileManager.default.createFile(atPath: keyFile, contents: Data(key.bytes), attributes: [.posixPermissions: 0o600])
        else { throw TestFailure("cannot write \(keyFile)") }
        _ = try Store(path: database, visitorKey: key)
        let db = try Database(path: database, mode: .readWrite)
        try db.execute("""
            PRAGMA synchronous = OFF;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(shares))
            INSERT INTO shares (token, advocate, venue, campaign, network, followers, tier, time)
            SELECT printf('big%08d', i), 'advocate-' || (i % 5000), 'venue-' || (i % 20), 'campaign-' || (i % 3),
                   'instagram', i % 20000, CASE WHEN i % 20000 <= 999 THEN 'nano' WHEN i % 20000 <= 5000 THEN 'micro'
                   ELSE 'mid' END, 1790000000 FROM n;
            WITH RECURSIVE h(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM h WHERE k < \(hoursPerShare - 1))
            INSERT INTO counters (token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value)
            SELECT token, 497222 + k, k = 0, CASE WHEN k = 0 THEN followers ELSE 0 END, 3, 2, 1, k % 2, 12500 FROM shares, h;
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """)
    }

    /// Runs `sharectl arguments`, sampling its peak RSS and `daemon`'s; returns both peaks in KB.
    static func exportSampling(_ arguments: [String], daemon: DaemonProcess?) throws -> (sharectl: Int, daemon: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharectl"))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        process.standardError = FileHandle.standardError
        try process.run()
        var peaks = (sharectl: 0, daemon: 0)
        while process.isRunning {
            peaks.sharectl = max(peaks.sharectl, ProcStatus.kilobytes("VmHWM", pid: process.processIdentifier))
            peaks.daemon = max(peaks.daemon, daemon?.memoryKB() ?? 0)
            usleep(20_000)
        }
        #expect(process.terminationStatus == 0, "\(arguments)")
        return peaks
    }

    static func lineCount(_ path: String) throws -> Int {
        let run = try runCommand("/usr/bin/wc", ["-l", path])
        return Int(run.output.split(separator: " ").first ?? "") ?? -1
    }

    @Test("a large export keeps the daemon and sharectl in bounded memory, live and offline")
    func boundedMemory() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.fill(directory + "/sharetrack.db")
        let rows = Self.shares * Self.hoursPerShare
        let output = directory + "/export.csv"

        let daemon = try DaemonProcess(directory: directory)
        let before = daemon.memoryKB()
        var started = Date()
        let live = try Self.exportSampling(["export", "--socket", daemon.controlSocket, "--output", output], daemon: daemon)
        let liveSeconds = Date().timeIntervalSince(started)
        #expect(try Self.lineCount(output) == rows + 1)
        // The daemon answered other queries meanwhile too (its own connection per export).
        #expect(try SharectlTests.sharectl(["status", "--socket", daemon.controlSocket]).status == 0)
        #expect(try daemon.stop() == 0)
        try FileManager.default.removeItem(atPath: output)

        started = Date()
        let offline = try Self.exportSampling(["export", "--db", directory + "/sharetrack.db", "--output", output], daemon: nil)
        let offlineSeconds = Date().timeIntervalSince(started)
        #expect(try Self.lineCount(output) == rows + 1)
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0

        print("export of \(rows) rows (\(size / 1_048_576) MiB of CSV): live \(String(format: "%.1f", liveSeconds)) s, "
              + "daemon RSS \(before / 1024) -> peak \(live.daemon / 1024) MiB, sharectl peak \(live.sharectl / 1024) MiB; "
              + "--db \(String(format: "%.1f", offlineSeconds)) s, sharectl peak \(offline.sharectl / 1024) MiB")
        #expect(live.daemon - before < Self.boundKB, "daemon grew from \(before) KB to \(live.daemon) KB")
        #expect(live.sharectl < Self.sharectlBoundKB, "sharectl peaked at \(live.sharectl) KB")
        #expect(offline.sharectl < Self.sharectlBoundKB, "sharectl --db peaked at \(offline.sharectl) KB")
        #expect(size > Self.sharectlBoundKB * 1024, "the export is larger than the bound")
    }

    @Test("readers that stop reading hold at most 4 exports; one more is refused, and a reader that leaves frees its place")
    func stalledReaders() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.fill(directory + "/sharetrack.db", shares: 5_000)  // 50,000 rows: far more than a socket buffers
        let daemon = try DaemonProcess(directory: directory)
        let stalled = try (0..<4).map { _ in
            let client = try LineClient(path: daemon.controlSocket)
            try client.send(#"{"command":"export","query":{"filter":{}}}"# + "\n")
            return client
        }
        usleep(500_000)
        let refused = try SharectlTests.sharectl(["export", "--socket", daemon.controlSocket])
        #expect(refused.status != 0 && refused.stderr.contains("4 exports are running already"), "\(refused.stderr)")
        #expect(try SharectlTests.sharectl(["tiers", "--socket", daemon.controlSocket]).status == 0)

        for client in stalled { client.close() }
        var next = refused
        let deadline = Date().addingTimeInterval(20)
        while next.status != 0 && Date() < deadline {
            usleep(100_000)
            next = try SharectlTests.sharectl(["export", "--socket", daemon.controlSocket, "--tier", "nano"])
        }
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.utf8.filter { $0 == 0x0A }.count > 1)
        #expect(try daemon.stop() == 0)
    }
}
