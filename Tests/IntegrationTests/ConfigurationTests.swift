import Foundation
import Glibc
import ShareTrackStore
import Testing

/// Configuration as the contract fixes it: file, environment and flags, and the errors they give.
@Suite("Configuration")
struct ConfigurationTests {
    /// The daemon's `status` over its control socket.
    @Test("in the file tier_bounds may be a YAML list; another key given a list stops the start, named")
    func listValues() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/sharetrackd.yaml"
        try "tier_bounds: [10, 20, 30, 40]\n".write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(directory: directory, arguments: ["--config", file])
        let share = #"{"type":"share","share":"listed","advocate":"a","venue":"v","network":"x","followers":15}"#
        #expect(try LineClient(path: daemon.ingestSocket).exchange([share]) == [#"{"ok":true}"#])
        let answer = try SharectlTests.sharectl(["share", "listed", "--json", "--socket", daemon.controlSocket])
        #expect((answer.json as? [String: Any])?["tier"] as? String == "micro", "\(answer.stdout)")
        #expect(try daemon.stop() == 0)

        try "ack: [receive]\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try DaemonProcess(directory: directory, arguments: ["--config", file], waitForReady: false)
        #expect(try refused.waitForExit() == 78)
        #expect(refused.log.contains("ack must be a single value"), "\(refused.log)")
    }

    static func status(_ daemon: DaemonProcess) throws -> [String: Any] {
        let client = try LineClient(path: daemon.controlSocket)
        let response = try LineClient.decode(try #require(try client.exchange([#"{"command":"status"}"#]).first))
        return try #require(response["result"] as? [String: Any])
    }

    @Test("flag > environment > config file > default")
    func precedence() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/sharetrackd.yaml"
        try "ack: receive\nflush_interval: 7\nmax_line_bytes: 4096\n".write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(directory: directory, arguments: ["--config", file, "--flush-interval", "3"],
                                       environment: ["SHARETRACK_ACK": "commit", "SHARETRACK_FLUSH_INTERVAL": "5"])
        let status = try Self.status(daemon)
        #expect(status["ack"] as? String == "commit")  // environment over file
        #expect(status["flush_interval"] as? Double == 3)  // flag over environment
        #expect(status["config_file"] as? String == file)
        #expect(try daemon.stop() == 0)
    }

    @Test("a bad value or file stops the start with a message that names the key", arguments: [
        (["--ack", "sometimes"], [String: String](), "ack"),
        (["--flush-interval", "-1"], [:], "flush_interval"),
        ([], ["SHARETRACK_MAX_CONNECTIONS": "lots"], "max_connections"),
        (["--max-pending-rows", "10"], [:], "max_pending_rows"),
        ([], ["SHARETRACK_TIER_BOUNDS": "5,4,3,2"], "tier_bounds"),
        (["--log-level", "chatty"], [:], "log_level"),
        (["--socket-mode", "999"], [:], "socket_mode"),
    ])
    func badValues(arguments: [String], environment: [String: String], key: String) throws {
        let daemon = try DaemonProcess(arguments: arguments, environment: environment, waitForReady: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains(key), "\(daemon.log)")
    }

    @Test("an unknown key in the file stops the start and is named")
    func unknownKey() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/sharetrackd.yaml"
        try "flush_interval: 2\nflush_intervall: 3\n".write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(directory: directory, arguments: ["--config", file], waitForReady: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("unknown key 'flush_intervall'"), "\(daemon.log)")
    }

    @Test("a start refused for a file or a connection string the daemon cannot read never shows the password", arguments: [
        ("shared_store: postgresql://u:Zq9secretXY@/db?host=/tmp\nshared_store: x\n", [String](), "repeated key 'shared_store'"),
        ("shared_store: 'postgresql://u:Zq9%ZZsecretXY@/db'\n", [], "invalid value for shared_store"),
        ("flush_interval: 1\n", ["--shared-store", "host=/tmp password=Zq9 secretXY dbname=x"], "invalid value for shared_store"),
    ])
    func refusedWithoutThePassword(file text: String, arguments: [String], reason: String) throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/sharetrackd.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(directory: directory, arguments: ["--config", file] + arguments, waitForReady: false)
        #expect(try daemon.waitForExit() == 78)  // EX_CONFIG
        #expect(daemon.log.contains(reason) && !daemon.log.contains("secretXY"), "\(daemon.log)")
    }

    @Test("a visitor key file or a password file that cannot be used stops the start as a bad setting does (exit 78)",
          arguments: ["--visitor-key-file", "--shared-store-password-file"])
    func unusableSettingFile(flag: String) throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/readable-by-all"
        _ = FileManager.default.createFile(atPath: file, contents: Data(count: 32), attributes: [.posixPermissions: 0o644])
        let named = flag == "--visitor-key-file" ? [flag, file] : ["--shared-store", "host=/nowhere", flag, directory + "/missing"]
        let daemon = try DaemonProcess(directory: directory, arguments: named, waitForReady: false)
        #expect(try daemon.waitForExit() == 78)
        #expect(daemon.log.contains(String(flag.dropFirst(2)).replacing("-", with: "_")), "\(daemon.log)")
    }

    @Test("a named visitor_key_file is created with a new database (32 bytes, mode 0600) and kept; missing beside a database that exists, it stops the start")
    func namedVisitorKeyFile() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let key = directory + "/keys/shared.key"
        try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: false)
        let first = try DaemonProcess(directory: directory, arguments: ["--visitor-key-file", key])
        let made = try Data(contentsOf: URL(fileURLWithPath: key))
        var info = stat()
        #expect(made.count == 32 && stat(key, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(!FileManager.default.fileExists(atPath: directory + "/visitor.key"))
        #expect(try first.stop() == 0)
        let again = try DaemonProcess(directory: directory, arguments: ["--visitor-key-file", key])
        #expect(try again.stop() == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == made)

        let moved = directory + "/keys/elsewhere.key"
        let refused = try DaemonProcess(directory: directory, arguments: ["--visitor-key-file", moved], waitForReady: false)
        #expect(try refused.waitForExit() == 78)
        #expect(refused.log.contains("visitor_key_file \(moved)") && refused.log.contains("created only with a database that holds no visitor hashes yet"),
                "\(refused.log)")
        #expect(!FileManager.default.fileExists(atPath: moved))
    }

    @Test("a named visitor_key_file missing beside a first-release database (visitor ids in clear) is created, and its visitors hashed with it")
    func namedVisitorKeyFileForFirstRelease() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        do {
            let old = try Database(path: directory + "/sharetrack.db", mode: .readWrite)
            try old.execute("PRAGMA journal_mode = WAL;" + Database.releaseOneSchema)
        }
        let key = directory + "/keys/shared.key"
        try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: false)
        let daemon = try DaemonProcess(directory: directory, arguments: ["--visitor-key-file", key])
        var info = stat()
        #expect(stat(key, &info) == 0 && info.st_size == 32 && info.st_mode & 0o777 == 0o600)
        // The migrated visitor is not new: its next click on the share is not unique.
        let click = #"{"type":"click","share":"tok-a","visitor":"visitor-in-clear-2","ts":"2026-11-27T20:30:00Z"}"#
        #expect(try PrivacyTests.send(daemon, [click]) == [#"{"ok":true}"#])
        let totals = try PrivacyTests.totals(daemon, "tok-a")
        #expect(totals["clicks"] as? Int == 5 && totals["unique_clicks"] as? Int == 3, "\(totals)")
        #expect(try daemon.stop() == 0)
        #expect(try PrivacyTests.filesHolding("visitor-in-clear", in: daemon).isEmpty)
    }

    @Test("an ops_group that names no group is said in the log at start and on reload")
    func missingOpsGroup() throws {
        let daemon = try DaemonProcess(arguments: ["--ops-group", "no-such-group-zq"])
        #expect(eventually { daemon.log.contains("ops_group names no group on this host") }, "\(daemon.log)")
        #expect(try daemon.stop() == 0)
        let (named, _) = try ReloadTests.daemon(config: "ops_group: \(String(cString: getgrgid(getgid()).pointee.gr_name))\n")
        #expect(!named.log.contains("ops_group names no group"), "\(named.log)")
        #expect(try named.stop() == 0)
    }

    @Test("a missing named config file is an error; the missing default one is fine")
    func missingConfigFile() throws {
        let daemon = try DaemonProcess(arguments: ["--config", "/nonexistent/sharetrackd.yaml"], waitForReady: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("/nonexistent/sharetrackd.yaml"))
    }

    @Test("sockets get socket_mode; a stale socket file is replaced; a regular file is refused, and no socket left behind")
    func socketFiles() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let stale = try DaemonProcess(directory: directory)
        try stale.stop(signal: SIGKILL)  // leaves its socket files behind
        let daemon = try DaemonProcess(directory: directory, arguments: ["--socket-mode", "0600"])
        var info = stat()
        #expect(stat(daemon.ingestSocket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try daemon.stop() == 0)

        _ = FileManager.default.createFile(atPath: daemon.ingestSocket, contents: Data("keep me".utf8))
        let refused = try DaemonProcess(directory: directory, waitForReady: false)
        #expect(try refused.waitForExit() != 0)
        #expect(refused.log.contains("not a socket"))
        #expect(try String(contentsOfFile: daemon.ingestSocket, encoding: .utf8) == "keep me")

        // Refused at the control socket, after the ingest socket was made: that one is removed again.
        try FileManager.default.removeItem(atPath: daemon.ingestSocket)
        _ = FileManager.default.createFile(atPath: daemon.controlSocket, contents: Data("keep me".utf8))
        let refusedLater = try DaemonProcess(directory: directory, waitForReady: false)
        #expect(try refusedLater.waitForExit() != 0)
        #expect(refusedLater.log.contains("not a socket"))
        #expect(!FileManager.default.fileExists(atPath: daemon.ingestSocket))
    }

    /// Starts a daemon on `directory`'s `sharetrack.db`, which must stop the start saying `message`;
    /// the files beside the database then.
    private static func expectRefused(_ directory: String, saying message: String) throws -> [String] {
        let daemon = try DaemonProcess(directory: directory, waitForReady: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains(message), "\(daemon.log)")
        return try FileManager.default.contentsOfDirectory(atPath: directory)
    }

    @Test("a corrupt database, another application's or one from a newer ShareTrack stops the start with a clear message")
    func unusableDatabase() throws {
        // A mistyped path leaves nothing behind: no lock, no new visitor key beside it.
        let corrupt = try DaemonProcess.makeTemporaryDirectory()
        try String(repeating: "garbage ", count: 1000).write(toFile: corrupt + "/sharetrack.db", atomically: true,
                                                             encoding: .utf8)
        let named = try DaemonProcess.makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: named + "/sharetrack.db", withIntermediateDirectories: false)
        for (directory, message) in [(corrupt, "not a database"), (named, "sharetrack.db: it is a directory")] {
            let files = try Self.expectRefused(directory, saying: message)
            #expect(!files.contains("visitor.key") && !files.contains("sharetrack.db.lock"), "\(files)")
        }

        // Another application's SQLite file: refused, and not changed (not even to WAL mode).
        let foreign = try DaemonProcess.makeTemporaryDirectory()
        let sql = "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (7);"
        #expect(try runCommand("/usr/bin/sqlite3", [foreign + "/sharetrack.db", sql]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign + "/sharetrack.db"))
        _ = try Self.expectRefused(foreign, saying: "another application's database")
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign + "/sharetrack.db")) == before)

        let newer = try DaemonProcess.makeTemporaryDirectory()
        #expect(try runCommand("/usr/bin/sqlite3", [newer + "/sharetrack.db", "PRAGMA user_version = 99;"]).status == 0)
        _ = try Self.expectRefused(newer, saying: "schema version 99")
    }
}

@Suite("Reload")
struct ReloadTests {
    /// A daemon started with `--config` on a file of its own that holds `text`, and that file.
    static func daemon(config text: String) throws -> (DaemonProcess, file: String) {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let file = directory + "/sharetrackd.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return (try DaemonProcess(directory: directory, arguments: ["--config", file]), file)
    }

    @Test("reload applies a changed file, reports what changed, and keeps restart-only keys")
    func reloadAppliesChanges() throws {
        let (daemon, file) = try Self.daemon(config: "flush_interval: 1\nlog_level: info\n")
        try "flush_interval: 0.25\nlog_level: debug\nsocket_mode: 0600\n".write(toFile: file, atomically: true,
                                                                                 encoding: .utf8)
        let reload = try SharectlTests.sharectl(["reload", "--json", "--socket", daemon.controlSocket])
        #expect(reload.status == 0, "\(reload.stderr)")
        let report = try #require(reload.json as? [String: Any])
        let changed = (report["changed"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(Set(changed) == ["flush_interval", "log_level"])
        #expect(report["needs_restart"] as? [String] == ["socket_mode"])
        let status = try ConfigurationTests.status(daemon)
        #expect(status["flush_interval"] as? Double == 0.25)
        #expect((status["database"] as? [String: Any])?["path"] as? String == daemon.database)
        #expect(try daemon.stop() == 0)
    }

    @Test("a reload raises max_pending_rows: clicks refused while the database is locked are then taken")
    func pendingRowsFollowReload() throws {
        let (daemon, file) = try Self.daemon(config: "ack: receive\nmax_pending_rows: 1000\n")
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        // Each click brings a new visitor pair: one row each.
        let clicks = (1...1500).map { #"{"type":"click","share":"s","visitor":"v\#($0)"}"# }
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange(clicks).contains { $0.contains(#""error":"overloaded""#) })
        // A test line gets the error a real one would.
        let test = try client.exchange([#"{"type":"click","share":"s","test":true}"#])
        #expect(test.count == 1 && test[0].contains(#""error":"overloaded""#), "\(test)")
        try "ack: receive\nmax_pending_rows: 5000\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try SharectlTests.sharectl(["reload", "--socket", daemon.controlSocket]).status == 0)
        #expect(try client.exchange(clicks).allSatisfy { $0 == #"{"ok":true}"# })
        shell.quit()
        #expect(try daemon.stop() == 0)
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(unique_clicks) FROM counters") == 1500)
    }

    @Test("log_level filters the log, and a reload changes it")
    func logLevelFollowsReload() throws {
        let (daemon, file) = try Self.daemon(config: "log_level: info\nflush_interval: 0.2\n")
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"quiet"}"#]) == [#"{"ok":true}"#])
        #expect(!daemon.log.contains("<7>"), "\(daemon.log)")

        try "log_level: debug\nflush_interval: 0.2\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try SharectlTests.sharectl(["reload", "--socket", daemon.controlSocket]).status == 0)
        #expect(try client.exchange([#"{"type":"click","share":"loud"}"#]) == [#"{"ok":true}"#])
        usleep(300_000)  // the log line follows the answer
        #expect(daemon.log.contains("<7>flushed"), "\(daemon.log)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a bad file on reload (SIGHUP or sharectl) is refused with the reason; the running configuration stays")
    func reloadRefusesBadFile() throws {
        let (daemon, file) = try Self.daemon(config: "flush_interval: 2\n")
        try "flush_interval: -3\n".write(toFile: file, atomically: true, encoding: .utf8)
        let reload = try SharectlTests.sharectl(["reload", "--socket", daemon.controlSocket])
        #expect(reload.status != 0)
        #expect(reload.stderr.contains("flush_interval"), "\(reload.stderr)")
        kill(daemon.process.processIdentifier, SIGHUP)
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"still-up"}"#]) == [#"{"ok":true}"#])
        #expect(try ConfigurationTests.status(daemon)["flush_interval"] as? Double == 2)
        #expect(eventually { daemon.log.contains("reload refused") }, "\(daemon.log)")
        // A connection string libpq cannot read would stop the next start: refused now, and never shown.
        try "flush_interval: 2\nshared_store: 'postgresql://u:Zq9%ZZsecretXY@/db'\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let unreadable = try SharectlTests.sharectl(["reload", "--socket", daemon.controlSocket])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("invalid value for shared_store")
                && !unreadable.stderr.contains("secretXY"), "\(unreadable.stderr)")
        #expect(try ConfigurationTests.status(daemon)["shared_store"] == nil)
        #expect(try daemon.stop() == 0)
        #expect(!daemon.log.contains("secretXY"), "\(daemon.log)")
    }

    @Test("a reload naming a key or password file the next start would refuse is refused, though the key waits for a restart",
          arguments: ["visitor_key_file", "shared_store_password_file"])
    func reloadRefusesUnusableFile(key: String) throws {
        let (daemon, file) = try Self.daemon(config: "shared_store: host=/nowhere\n")
        let unusable = URL(fileURLWithPath: file).deletingLastPathComponent().path + "/readable-by-all"
        _ = FileManager.default.createFile(atPath: unusable, contents: Data(count: 32), attributes: [.posixPermissions: 0o644])
        let path = key == "visitor_key_file" ? unusable : unusable + ".missing"
        try "shared_store: host=/nowhere\n\(key): \(path)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let reload = try SharectlTests.sharectl(["reload", "--socket", daemon.controlSocket])
        #expect(reload.status != 0 && reload.stderr.contains("\(key) \(path)"), "\(reload.stderr)")
        #expect(eventually { daemon.log.contains("reload refused") }, "\(daemon.log)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a reload storm that changes flush_interval never postpones a flush that is due")
    func reloadStormKeepsFlushing() throws {
        let (daemon, file) = try Self.daemon(config: "flush_interval: 1\n")
        let pid = daemon.process.processIdentifier
        let stormOver = DispatchSemaphore(value: 0)
        // SIGHUP every 0.5 s for 8 s, flush_interval alternating 2 and 1.
        DispatchQueue.global().async {
            for round in 0..<16 {
                try? "flush_interval: \(round % 2 == 0 ? 2 : 1)\n".write(toFile: file, atomically: true, encoding: .utf8)
                kill(pid, SIGHUP)
                usleep(500_000)
            }
            stormOver.signal()
        }
        let client = try LineClient(path: daemon.ingestSocket)
        // A flush is due at most 2 s after the last one; each answer (ack: commit) waits for one.
        for line in 0..<3 {
            let sent = Date()
            #expect(try client.exchange([#"{"type":"click","share":"storm-\#(line)"}"#]) == [#"{"ok":true}"#])
            #expect(Date().timeIntervalSince(sent) < 4, "answer \(line) waited for the reloads to stop")
        }
        stormOver.wait()
        #expect(try daemon.stop() == 0)
    }
}
