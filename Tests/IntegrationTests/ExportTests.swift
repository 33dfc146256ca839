import Foundation
import Glibc
import Testing

/// `sharectl export`, the real binary, against a real daemon and its SQLite file.
@Suite("sharectl export", .serialized)
struct ExportTests {
    static let counters = ["shares", "reach", "clicks", "unique_clicks", "bot_clicks", "conversions"]

    static func sharectl(_ arguments: [String]) throws -> SharectlTests.Run {
        try SharectlTests.sharectl(arguments)
    }

    /// `sharectl export` to a file in the daemon's directory; returns the file's path.
    static func export(_ daemon: DaemonProcess, _ arguments: [String], name: String = "export.csv") throws -> String {
        let path = daemon.directory + "/" + name
        let run = try sharectl(["export", "--output", path] + arguments)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return path
    }

    /// Sums of `rows` per value of `column` (rows where it is empty are left out).
    static func sums(_ rows: [[String: String]], by column: String) -> [String: [String: Double]] {
        var sums: [String: [String: Double]] = [:]
        for row in rows where !(row[column] ?? "").isEmpty {
            for counter in counters + ["value"] {
                sums[row[column]!, default: [:]][counter, default: 0] += Double(row[counter] ?? "") ?? .nan
            }
        }
        return sums
    }

    @Test("CSV read by a real CSV reader: quotes, commas and non-ASCII ids; its rows summed give tiers and venues exactly")
    func csvReproducesTotals() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let path = try Self.export(daemon, socket)
        let bytes = try String(contentsOfFile: path, encoding: .utf8)
        #expect(bytes.hasPrefix("hour,share,advocate,venue,campaign,network,tier,followers,shares,reach,clicks,"
                                + "unique_clicks,bot_clicks,conversions,value,engagement_rate,orphan_clicks,orphan_conversions\r\n"))
        #expect(bytes.contains(#""Zoë ""Z"" Müller, Berlin","café, Mitte",spring,instagram,nano,800,"#))
        let rows = try readCSV(path)
        #expect(Set(rows.map { $0["share"]! }) == ["s1", "s2", "s3", "s4", "s5", "orph1", "orph2"])
        #expect(rows.allSatisfy { $0["hour"]!.hasSuffix(":00:00Z") })
        // Money exactly: two decimals, three where the amount has them.
        #expect(rows.filter { $0["share"] != "s3" }.allSatisfy { $0["value"]!.split(separator: ".").last?.count == 2 })
        #expect(rows.first { $0["share"] == "s3" && $0["conversions"] == "1" }?["value"] == "0.125")

        let tiers = try #require(try Self.sharectl(["tiers", "--json"] + socket).json as? [[String: Any]])
        let byTier = Self.sums(rows, by: "tier")
        for tier in tiers {
            let name = tier["tier"] as! String
            for counter in Self.counters + ["value"] {
                #expect(byTier[name]?[counter] ?? 0 == (tier[counter] as! NSNumber).doubleValue, "\(name) \(counter)")
            }
        }
        let venues = try #require(try Self.sharectl(["venues", "--json"] + socket).json as? [[String: Any]])
        let byVenue = Self.sums(rows, by: "venue")
        #expect(Set(byVenue.keys) == Set(venues.map { $0["venue"] as! String }))
        for venue in venues {
            for counter in Self.counters + ["value"] {
                #expect(byVenue[venue["venue"] as! String]?[counter] == (venue[counter] as! NSNumber).doubleValue)
            }
        }
        // Orphans: empty attribution, their clicks and conversions also as orphan counts.
        let orphan = try #require(rows.first { $0["share"] == "orph1" })
        #expect(["advocate", "venue", "campaign", "network", "tier", "followers"].allSatisfy { orphan[$0] == "" })
        #expect(orphan["clicks"] == "1" && orphan["orphan_clicks"] == "1")
        #expect(rows.first { $0["share"] == "orph2" }?["orphan_conversions"] == "1")
        #expect(rows.first { $0["share"] == "s1" }?["orphan_clicks"] == "0")
        #expect(try daemon.stop() == 0)
    }

    @Test("NDJSON holds exactly the rows of the CSV, with null for an empty cell")
    func ndjsonEqualsCSV() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let csv = try readCSV(try Self.export(daemon, socket))
        let run = try Self.sharectl(["export", "--format", "ndjson"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try readNDJSON(run.stdout)
        #expect(objects.count == csv.count)
        for (object, row) in zip(objects, csv) {
            #expect(Set(object.keys) == Set(row.keys))
            for (key, text) in row {
                let value = object[key]
                if text.isEmpty {
                    #expect(value is NSNull, "\(key) of \(row["share"]!)")
                } else if let string = value as? String {
                    #expect(string == text)
                } else {
                    #expect((value as? NSNumber)?.doubleValue == Double(text), "\(key) of \(row["share"]!)")
                }
            }
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("--json on stdout: one JSON array of the NDJSON rows, [] for none; --format csv with it is refused")
    func jsonIsOneArray() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let lines = try readNDJSON(try Self.sharectl(["export", "--format", "ndjson"] + socket).stdout)
        let run = try Self.sharectl(["export", "--json"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(lines.count > 1 && array.count == lines.count, "\(lines.count) rows")
        #expect(array.map { $0["share"] as? String } == lines.map { $0["share"] as? String })
        let none = try Self.sharectl(["export", "--json", "--venue", "no-such-venue"] + socket)
        #expect((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [Any])?.isEmpty == true, "\(none.stdout)")
        #expect(try Self.sharectl(["export", "--json", "--format", "csv"] + socket).status == 64)
        #expect(try daemon.stop() == 0)
    }

    @Test("Ctrl-C (or SIGTERM, SIGHUP) while an export waits on the daemon: no temporary file left behind",
          arguments: [SIGINT, SIGTERM, SIGHUP])
    func interruptedLeavesNothing(signal: Int32) throws {
        let daemon = try ReportFixture.daemon()
        let directory = daemon.directory + "/exports"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        kill(daemon.pid, SIGSTOP)  // the answer never comes while it is stopped
        defer { kill(daemon.pid, SIGCONT) }
        let export = try SpawnedProcess(DaemonProcess.binary("sharectl"),
                                        ["export", "--output", directory + "/rows.csv", "--socket", daemon.controlSocket],
                                        environment: [:], log: daemon.directory + "/sharectl.log")
        #expect(eventually { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).count == 1 })
        kill(export.pid, signal)
        _ = export.waitForExit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        kill(daemon.pid, SIGCONT)
        #expect(try daemon.stop() == 0)
    }

    @Test("an export its client stops reading holds nothing up: forget and SIGTERM cut it short; idle_timeout closes it")
    func stalledExport() throws {
        let daemon = try Self.daemonWithShares(arguments: ["--idle-timeout", "2"])
        func stalledClient() throws -> LineClient { try Self.stalledClient(of: daemon) }

        // idle_timeout: a stream nobody takes for 2 s is closed (the client reads what was sent, then the end).
        let idle = try stalledClient()
        sleep(4)
        var lines = 0
        while try idle.readLine() != nil { lines += 1 }
        #expect(lines > 0 && lines < 12_001, "\(lines) lines")

        // A client still reading, slowly (4 KB every 100 ms), is not stalled: after four times
        // idle_timeout it is still being sent rows.
        let slow = try stalledClient()
        let deadline = Date().addingTimeInterval(8)
        var received = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = slow.withFileDescriptor { read($0, &chunk, chunk.count) }
            if count <= 0 { break }
            received += count
            usleep(100_000)
        }
        #expect(Date() >= deadline && received > 250_000, "closed after \(received) bytes")
        slow.close()

        let held = try stalledClient()
        usleep(500_000)
        var started = Date()
        let forget = try SharectlTests.sharectl(["forget", "--advocate", "adv-7", "--socket", daemon.controlSocket])
        #expect(forget.status == 0 && Date().timeIntervalSince(started) < 5, "\(forget.stderr)")
        _ = held
        _ = try stalledClient()
        usleep(500_000)
        started = Date()
        #expect(try daemon.stop() == 0)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A daemon holding 12,000 shares (by 50 advocates, `adv-0`...).
    static func daemonWithShares(arguments: [String]) throws -> DaemonProcess {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"] + arguments)
        let shares = (1...12_000).map {
            #"{"type":"share","share":"st\#($0)","advocate":"adv-\#($0 % 50)","venue":"cafe","network":"x","followers":10}"#
        }
        #expect(try LineClient(path: daemon.ingestSocket).exchange(shares).allSatisfy { $0 == #"{"ok":true}"# })
        return daemon
    }

    /// A client that asks `daemon` for the whole table and reads nothing of it (its buffers fill up).
    static func stalledClient(of daemon: DaemonProcess) throws -> LineClient {
        let client = try LineClient(path: daemon.controlSocket)
        var size: Int32 = 4096
        _ = client.withFileDescriptor { setsockopt($0, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        try client.send(#"{"command":"export"}"# + "\n")
        return client
    }

    @Test("SIGTERM during an export its client reads: the rows on their way, then the end line saying why")
    func shutdownEndsAnExportWithWhy() throws {
        let daemon = try Self.daemonWithShares(arguments: [])
        let client = try Self.stalledClient(of: daemon)
        usleep(300_000)
        kill(daemon.pid, SIGTERM)
        // Taken 4 KB at a time (about 200 KB/s: the whole export would take seconds, so the signal
        // comes in its middle even on a loaded machine), slower than the daemon stops: it waits
        // for what it queued.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let count = client.withFileDescriptor({ read($0, &chunk, chunk.count) }), count > 0 {
            bytes += chunk[..<count]
            usleep(20_000)
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        #expect(lines.dropLast().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 18 })
        #expect(lines.last?.hasPrefix(#"{"ok":false"#) == true && lines.last?.contains("shutting down") == true,
                "\(lines.suffix(2))")
        #expect(try daemon.waitForExit() == 0)
    }

    @Test("SIGTERM at once after an export is asked: cut before its first rows, or refused, with the end line saying why")
    func shutdownCutsAnExportBeforeItsFirstRows() throws {
        let daemon = try Self.daemonWithShares(arguments: [])
        let client = try LineClient(path: daemon.controlSocket)
        // Answered once, so that the daemon has taken the connection before it stops accepting.
        #expect(try client.exchange([#"{"command":"status"}"#]).first?.hasPrefix(#"{"ok":true"#) == true)
        try client.send(#"{"command":"export"}"# + "\n")
        kill(daemon.pid, SIGTERM)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while case let count = client.withFileDescriptor({ read($0, &chunk, chunk.count) }), count > 0 {
            bytes += chunk[..<count]
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        #expect(lines.dropLast().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 18 })
        #expect(lines.last?.hasPrefix(#"{"ok":false"#) == true && lines.last?.contains("shutting down") == true,
                "\(lines.count) lines, the last \(lines.suffix(1))")
        #expect(try daemon.waitForExit() == 0)
    }

    @Test("with idle_timeout 0 an export cut short by forget whose client takes nothing is closed within 10 s all the same")
    func cutExportClosedWithoutIdleTimeout() throws {
        let daemon = try Self.daemonWithShares(arguments: ["--idle-timeout", "0"])
        let client = try Self.stalledClient(of: daemon)
        usleep(500_000)
        #expect(try SharectlTests.sharectl(["forget", "--advocate", "adv-7", "--socket", daemon.controlSocket]).status == 0)
        sleep(12)
        // Closed with rows still queued: what the socket holds ends before the end line.
        var last = ""
        while let line = try client.readLine() { last = line }
        #expect(!last.hasPrefix(#"{"ok":"#), "\(last)")
        #expect(try daemon.stop() == 0)
    }

    @Test("forget cuts short an export whose client takes every part as it comes, not only one stuck on a full socket")
    func forgetCutsAFlowingExport() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        try ExportMemoryTests.fill(directory + "/sharetrack.db")
        let daemon = try DaemonProcess(directory: directory)
        let output = directory + "/all.csv"
        let export = try SpawnedProcess(DaemonProcess.binary("sharectl"), [
            "export", "--output", output, "--socket", daemon.controlSocket,
        ], environment: ["PATH": "/usr/bin:/bin"], log: directory + "/export.log")
        // Rows flow once the temporary file beside the output has some.
        let flowing = {
            try FileManager.default.contentsOfDirectory(atPath: directory).contains { name in
                name.hasPrefix(".all.csv.") && ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0) > 0
            }
        }
        #expect(try eventually(timeout: 10) { try flowing() })
        #expect(export.isRunning, "the export was over before forget could be asked")
        let forget = try SharectlTests.sharectl(["forget", "--advocate", "advocate-7", "--socket", daemon.controlSocket])
        #expect(forget.status == 0, "\(forget.stderr)")
        let status = export.waitForExit()
        // The answer ends saying why, after the rows already sent (which the failed export drops).
        let log = (try? String(contentsOfFile: directory + "/export.log", encoding: .utf8)) ?? ""
        #expect(status != 0 && log.contains("cut short by a forget"), "\(status): \(log)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try daemon.stop() == 0)
    }

    @Test("filters select the rows they name", arguments: [
        (["--venue", ReportFixture.comma], "venue", ReportFixture.comma),
        (["--tier", "nano"], "tier", "nano"),
        (["--network", "tiktok"], "network", "tiktok"),
        (["--campaign", "spring"], "campaign", "spring"),
    ])
    func filters(arguments: [String], column: String, value: String) throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let all = try readCSV(try Self.export(daemon, socket, name: "all.csv"))
        let filtered = try readCSV(try Self.export(daemon, arguments + socket, name: "filtered.csv"))
        #expect(!filtered.isEmpty)
        #expect(filtered == all.filter { $0[column] == value })
        #expect(try daemon.stop() == 0)
    }

    @Test("--since keeps the hours from then on")
    func since() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let all = try readCSV(try Self.export(daemon, socket, name: "all.csv"))
        let recent = try readCSV(try Self.export(daemon, ["--since", "24h"] + socket, name: "recent.csv"))
        let since = TestEvent.rfc3339((Int64(Date().timeIntervalSince1970) - 24 * 3600) / 3600 * 3600)
        #expect(!recent.isEmpty && recent.count < all.count)
        #expect(recent == all.filter { $0["hour"]! >= since })
        #expect(try daemon.stop() == 0)
    }

    @Test("--db writes the same bytes as the live daemon, in both formats")
    func offlineEqualsLive() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let live = try [["--format", "csv"], ["--format", "ndjson"], ["--tier", "mid"]].map { arguments in
            try Self.sharectl(["export"] + arguments + socket)
        }
        #expect(try daemon.stop() == 0)
        for (arguments, expected) in zip([["--format", "csv"], ["--format", "ndjson"], ["--tier", "mid"]], live) {
            let offline = try Self.sharectl(["export", "--db", daemon.database] + arguments)
            #expect(offline.status == 0 && expected.status == 0, "\(offline.stderr) \(expected.stderr)")
            #expect(offline.stdout == expected.stdout && !offline.stdout.isEmpty, "\(arguments)")
        }
    }

    @Test("errors: an unknown format, an unwritable output, an empty range; nothing is written")
    func errors() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let format = try Self.sharectl(["export", "--format", "xlsx"] + socket)
        #expect(format.status != 0 && format.stdout.isEmpty)
        #expect(format.stderr.contains("xlsx") && format.stderr.contains("csv") && format.stderr.contains("ndjson"))

        let unwritable = try Self.sharectl(["export", "--output", "/nonexistent/dir/out.csv"] + socket)
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("cannot write /nonexistent/dir/out.csv"), "\(unwritable.stderr)")

        let target = daemon.directory + "/kept.csv"
        try "before".write(toFile: target, atomically: true, encoding: .utf8)
        let range = try Self.sharectl(["export", "--since", "1h", "--until", "3h", "--output", target] + socket)
        #expect(range.status != 0 && range.stderr.contains("empty time range"), "\(range.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "before")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { $0.hasPrefix(".kept") }
        #expect(leftovers.isEmpty)
        #expect(try daemon.stop() == 0)
    }

    @Test("--output: a file there keeps its mode, a symbolic link and a pipe are written through, never replaced; - and /dev/stdout are stdout")
    func outputPaths() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let stdout = try Self.sharectl(["export"] + socket).stdout
        #expect(stdout.hasPrefix("hour,share,"))
        let dash = try Self.sharectl(["export", "--output", "-"] + socket)
        #expect(dash.status == 0 && dash.stdout == stdout, "\(dash.stdout.suffix(200))")
        // `/dev/stdout` is stdout too: the rows alone, no summary of a file written after them,
        // and with --json the rows as one JSON array.
        let device = try Self.sharectl(["export", "--output", "/dev/stdout"] + socket)
        #expect(device.status == 0 && device.stdout == stdout, "\(device.stdout.suffix(200))")
        let array = try Self.sharectl(["export", "--json"] + socket).stdout
        let arrayToDevice = try Self.sharectl(["export", "--json", "--output", "/dev/stdout"] + socket).stdout
        #expect(array.hasPrefix("[") && arrayToDevice == array, "\(arrayToDevice.prefix(200))")
        #expect(try Self.sharectl(["report", "--json", "--output", "/dev/stdout"] + socket).status == 64)

        let kept = daemon.directory + "/kept.csv"
        _ = FileManager.default.createFile(atPath: kept, contents: Data("old".utf8), attributes: [.posixPermissions: 0o640])
        #expect(try Self.sharectl(["export", "--output", kept] + socket).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? Int == 0o640)
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == stdout)

        let link = daemon.directory + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: kept)
        try "old".write(toFile: kept, atomically: false, encoding: .utf8)
        #expect(try Self.sharectl(["export", "--output", link] + socket).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == kept)
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == stdout)

        let pipe = daemon.directory + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        let read = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var received = ""
        Thread {
            // Opening a pipe to read waits for its writer; reading it, for the writer to close it.
            let reader = FileHandle(forReadingAtPath: pipe)
            received = String(decoding: reader?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
            read.signal()
        }.start()
        #expect(try Self.sharectl(["export", "--output", pipe] + socket).status == 0)
        #expect(read.wait(timeout: .now() + 10) == .success)
        #expect(received == stdout)
        var info = stat()
        #expect(lstat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try daemon.stop() == 0)
    }
}
