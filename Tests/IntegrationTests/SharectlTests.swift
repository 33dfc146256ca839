import Foundation
import Glibc
import Testing

/// `sharectl`, the real binary, against a real daemon and against its SQLite file.
@Suite("sharectl", .serialized)
struct SharectlTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String

        var json: Any { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) ?? NSNull() }
    }

    /// Runs `sharectl` to the end; `input`, if given, is its stdin; `environment` adds variables;
    /// `launcher`, if given, is the command that runs it (`FakeClock.behind`).
    static func sharectl(_ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                         launcher: [String] = []) throws -> Run {
        let process = Process()
        let command = launcher + [DaemonProcess.binary("sharectl")] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
            .merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            // From a thread of its own: a large input fills the pipe before sharectl reads it all.
            let writer = stdin.fileHandleForWriting
            Thread {
                writer.write(Data(input.utf8))
                try? writer.close()
            }.start()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning { usleep(5_000) }
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A daemon with a few advocates, venues, tiers, an orphan and a producer.
    static func populatedDaemon() throws -> DaemonProcess {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        let twoDaysAgo = Int64(Date().timeIntervalSince1970) - 48 * 3600
        let old = TestEvent.rfc3339(twoDaysAgo)
        let lines = [
            #"{"type":"share","share":"s1","advocate":"ann","venue":"cafe","campaign":"spring","network":"instagram","followers":800}"#,
            #"{"type":"share","share":"s2","advocate":"ann","venue":"bar","network":"tiktok","followers":4000,"ts":"\#(old)"}"#,
            #"{"type":"share","share":"s3","advocate":"bob","venue":"cafe","network":"instagram","followers":250000,"source":"kiosk-1","seq":1}"#,
            #"{"type":"click","share":"s1","visitor":"a"}"#,
            #"{"type":"click","share":"s1","visitor":"a"}"#,
            #"{"type":"click","share":"s1","visitor":"b"}"#,
            #"{"type":"click","share":"s2","visitor":"a","ts":"\#(old)"}"#,
            #"{"type":"click","share":"s3","bot":true}"#,
            #"{"type":"click","share":"s3"}"#,
            #"{"type":"conversion","share":"s1","value":19.5}"#,
            #"{"type":"click","share":"orphan1","visitor":"z"}"#,
        ]
        #expect(try client.exchange(lines).allSatisfy { $0 == #"{"ok":true}"# })
        return daemon
    }

    @Test("every query command answers the same online and offline (--db) once flushed, in --json and as a table")
    func onlineEqualsOffline() throws {
        let daemon = try Self.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        let queries: [[String]] = [
            ["top"], ["top", "--by", "reach", "--limit", "1"], ["top", "--network", "instagram"],
            ["top", "--since", "24h"], ["venues"], ["venues", "--tier", "micro"], ["tiers"],
            ["advocate", "ann"], ["share", "s1"], ["share", "orphan1"], ["sources"],
        ]
        var online: [String] = []
        for query in queries {
            let run = try Self.sharectl(query + ["--json"] + socket)
            #expect(run.status == 0, "\(query): \(run.stderr)")
            online.append(run.stdout)
            let table = try Self.sharectl(query + socket)
            #expect(table.status == 0 && !table.stdout.isEmpty, "\(query): \(table.stderr)")
        }
        #expect(try daemon.stop() == 0)
        for (query, expected) in zip(queries, online) {
            let run = try Self.sharectl(query + ["--json", "--db", daemon.database])
            #expect(run.status == 0, "\(query): \(run.stderr)")
            #expect(Self.withoutClock(run.stdout) == Self.withoutClock(expected), "\(query) differs offline")
        }
    }

    /// A JSON document without `silent_for`, which grows with the clock between two runs.
    static func withoutClock(_ json: String) -> String {
        json.split(separator: "\n").filter { !$0.contains("\"silent_for\"") }.joined(separator: "\n")
    }

    @Test("the numbers: attribution, unique clicks, bots apart, tiers, engagement, time filters")
    func numbers() throws {
        let daemon = try Self.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        let top = try #require(try Self.sharectl(["top", "--json"] + socket).json as? [[String: Any]])
        let ann = try #require(top.first { $0["advocate"] as? String == "ann" })
        #expect(ann["shares"] as? Int == 2)
        #expect(ann["reach"] as? Int == 4800)
        #expect(ann["clicks"] as? Int == 4)
        #expect(ann["unique_clicks"] as? Int == 3)
        #expect(ann["conversions"] as? Int == 1)
        #expect(ann["value"] as? Double == 19.5)
        #expect(abs((ann["engagement_rate"] as? Double ?? 0) - 3.0 / 4800) < 1e-12)
        let bob = try #require(top.first { $0["advocate"] as? String == "bob" })
        #expect(bob["clicks"] as? Int == 1 && bob["bot_clicks"] as? Int == 1)

        let recent = try #require(try Self.sharectl(["top", "--json", "--since", "24h"] + socket).json as? [[String: Any]])
        let annRecent = try #require(recent.first { $0["advocate"] as? String == "ann" })
        #expect(annRecent["shares"] as? Int == 1 && annRecent["clicks"] as? Int == 3)

        // --until rounds up to the hour, a fraction of a second too: s2's hour (48 h ago) alone.
        let s2 = try #require(try Self.sharectl(["share", "s2", "--json"] + socket).json as? [String: Any])
        // A share without a campaign says so, as export does: null, not a missing key.
        #expect(s2.keys.contains("campaign") && s2["campaign"] is NSNull, "\(s2)")
        let hour = try #require((s2["time"] as? String)?.prefix(13))  // 2026-12-03T10
        let oldHour = try Self.sharectl(["top", "--json", "--since", "\(hour):00:00Z", "--until", "\(hour):00:00.5Z"] + socket)
        let annOld = try #require(oldHour.json as? [[String: Any]], "\(oldHour.stderr)")
        #expect(annOld.count == 1 && annOld.first?["shares"] as? Int == 1 && annOld.first?["clicks"] as? Int == 1)

        let tiers = try #require(try Self.sharectl(["tiers", "--json"] + socket).json as? [[String: Any]])
        #expect(tiers.map { $0["tier"] as? String } == ["nano", "micro", "mid", "macro", "mega"])
        #expect(tiers[0]["shares"] as? Int == 1 && tiers[1]["shares"] as? Int == 1 && tiers[3]["shares"] as? Int == 1)

        let orphan = try #require(try Self.sharectl(["share", "orphan1", "--json"] + socket).json as? [String: Any])
        #expect(orphan["orphan_clicks"] as? Int == 1)
        #expect(orphan["advocate"] == nil)

        let sources = try #require(try Self.sharectl(["sources", "--json"] + socket).json as? [[String: Any]])
        #expect(sources.first?["source"] as? String == "kiosk-1" && sources.first?["last_seq"] as? Int == 1)
        #expect(try daemon.stop() == 0)
    }

    @Test("status, flush, reload and metrics")
    func operations() throws {
        let daemon = try Self.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        let status = try #require(try Self.sharectl(["status", "--json"] + socket).json as? [String: Any])
        #expect(status["pid"] as? Int == Int(daemon.process.processIdentifier))
        #expect(status["ack"] as? String == "commit")
        let totals = try #require(status["totals"] as? [String: Any])
        #expect(totals["accepted"] as? Int == 11 && totals["orphans"] as? Int == 1)

        let flush = try Self.sharectl(["flush", "--json"] + socket)
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect((flush.json as? [String: Any])?["rows"] != nil)

        let reload = try Self.sharectl(["reload", "--json"] + socket)
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect((reload.json as? [String: Any])?["changed"] as? [Any] != nil)

        let metrics = try Self.sharectl(["metrics"] + socket)
        #expect(metrics.status == 0)
        #expect(metrics.stdout.contains("sharetrack_events_accepted_total{type=\"click\"} 7"), "\(metrics.stdout)")
        #expect(metrics.stdout.contains("sharetrack_flush_duration_seconds"))
        #expect(metrics.stdout.contains("sharetrack_resident_memory_bytes"))
        // Every family has its HELP and TYPE lines (as promtool's lint asks), and an error code
        // never seen yet is a series at 0, not a missing one.
        let lines = metrics.stdout.split(separator: "\n")
        let families = Set(lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
        let helped = Set(lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(families.count >= 14 && families == helped, "\(metrics.stdout)")
        #expect(metrics.stdout.contains("sharetrack_events_rejected_total{code=\"line_too_long\"} 0"), "\(metrics.stdout)")
        #expect(try daemon.stop() == 0)
    }

    @Test("errors go to stderr with a non-zero exit", arguments: [
        (["advocate", "nobody-here"], "nobody-here"),
        (["share", "never-seen"], "never-seen"),
        (["top", "--since", "yesterday"], "yesterday"),
        (["top", "--by", "likes"], "likes"),
    ])
    func errors(arguments: [String], mentioned: String) throws {
        let daemon = try Self.populatedDaemon()
        let run = try Self.sharectl(arguments + ["--socket", daemon.controlSocket])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(mentioned), "\(run.stderr)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a daemon at its cap of control connections: sharectl shows the daemon's busy answer, not a send error")
    func busyDaemon() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        // Silent connections: each holds its slot until `idle_timeout` (300 s), where one with a
        // request cut short is closed after 10 s, which a loaded machine reached once before
        // sharectl connected (a clean clone's `make test` beside a release build).
        let held = try (0..<64).map { _ in try LineClient(path: daemon.controlSocket, timeoutSeconds: 30) }
        let run = try Self.sharectl(["status", "--socket", daemon.controlSocket])
        #expect(run.status != 0)
        #expect(run.stderr.contains("sharetrackd is busy: too many control connections"), "\(run.stderr)")
        #expect(!run.stderr.contains("cannot send"), "\(run.stderr)")
        held.forEach { $0.close() }
        // Held for a second only: sharectl asks again, and gets its answer (a query, an export).
        for command in [["status"], ["export", "--format", "ndjson"]] {
            let again = try (0..<64).map { _ in try LineClient(path: daemon.controlSocket, timeoutSeconds: 30) }
            Thread {
                usleep(1_000_000)
                again.forEach { $0.close() }
            }.start()
            let answered = try Self.sharectl(command + ["--socket", daemon.controlSocket])
            #expect(answered.status == 0, "\(command): \(answered.stderr)")
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a daemon that is not running: the socket tried is named and --db suggested")
    func daemonDown() throws {
        let run = try Self.sharectl(["status", "--socket", "/nonexistent/control.sock"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent/control.sock"))
        #expect(run.stderr.contains("--db"))
    }

    @Test("--db naming a file that cannot be read, or a directory: exit 66 (an input that cannot be read), the path named; none is made", arguments: [
        ["top"], ["export"], ["report", "--output", "/dev/null"],
    ])
    func missingDatabase(command: [String]) throws {
        let path = try DaemonProcess.makeTemporaryDirectory() + "/missing.db"
        let run = try Self.sharectl(command + ["--db", path])
        #expect(run.status == 66 && run.stderr.contains("cannot read the database \(path): No such file"), "\(run.status) \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let named = try Self.sharectl(command + ["--db", directory])
        #expect(named.status == 66 && named.stderr.contains("\(directory): it is a directory"), "\(named.status) \(named.stderr)")
    }
}
