import Foundation
import ShareTrackStore
import TestSupport
import Glibc
import Testing

/// The daemon as systemd runs it: socket activation through `systemd-socket-activate`, and the
/// sd_notify protocol read from a NOTIFY_SOCKET the test binds itself.
@Suite("systemd", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
struct SystemdTests {
    /// `systemd-socket-activate` listening on both sockets and starting sharetrackd on the first connection.
    final class ActivatedDaemon {
        let directory: String
        let notify: NotifyListener
        let process: SpawnedProcess

        var ingestSocket: String { directory + "/activated-ingest.sock" }
        var controlSocket: String { directory + "/activated-control.sock" }
        var database: String { directory + "/sharetrack.db" }
        var log: String { (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "" }

        /// `activator`: more options of `systemd-socket-activate` (`--datagram`). `fdNames` nil:
        /// the sockets are passed without names, and the daemon's socket paths are theirs.
        init(environment: [String: String] = [:], arguments: [String] = [], fdNames: String? = "ingest:control",
             activator: [String] = []) throws {
            directory = try DaemonProcess.makeTemporaryDirectory()
            notify = try NotifyListener(directory: directory)
            _ = FileManager.default.createFile(atPath: directory + "/none.yaml", contents: Data())
            let variables = ["NOTIFY_SOCKET": notify.path].merging(environment) { $1 }
            // Where the daemon's own sockets would be: the passed ones' paths when they have no names.
            let own = fdNames == nil ? "activated" : "unused"
            process = try SpawnedProcess(
                "/usr/bin/systemd-socket-activate",
                ["-l", directory + "/activated-ingest.sock", "-l", directory + "/activated-control.sock"]
                    + (fdNames.map { ["--fdname=\($0)"] } ?? []) + activator
                    + variables.map { "-E\($0.key)=\($0.value)" }
                    + [DaemonProcess.binary("sharetrackd"), "--database", directory + "/sharetrack.db",
                       "--config", directory + "/none.yaml",
                       "--ingest-socket", directory + "/\(own)-ingest.sock",
                       "--control-socket", directory + "/\(own)-control.sock"]
                    + arguments,
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") },
                log: directory + "/log")
            // The first connection starts the daemon.
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: ingestSocket) && Date() < deadline { usleep(10_000) }
        }

        /// A client on the ingest socket. `systemd-socket-activate` binds the socket file before it
        /// listens on it, so a connection made as soon as the file appears may be refused: retry.
        func ingestClient() throws -> LineClient {
            let deadline = Date().addingTimeInterval(10)
            while true {
                do {
                    return try LineClient(path: ingestSocket)
                } catch {
                    guard Date() < deadline else { throw error }
                    usleep(10_000)
                }
            }
        }

        func signal(_ number: Int32) { kill(process.pid, number) }

        func waitForExit(timeout: Double = 30) throws -> Int32 {
            guard let status = process.waitForExit(timeout: timeout) else { throw TestFailure("daemon did not exit") }
            return status
        }
    }

    @Test("socket activation: the passed sockets are used; READY, STATUS, RELOADING, STOPPING are sent")
    func lifecycleUnderSocketActivation() throws {
        let daemon = try ActivatedDaemon()
        let client = try daemon.ingestClient()
        #expect(try client.exchange([#"{"type":"click","share":"activated"}"#]) == [#"{"ok":true}"#], "\(daemon.log)")
        try daemon.notify.wait { $0 == "READY=1" }
        // The daemon made no sockets of its own: systemd's were used.
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/unused-ingest.sock"))
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/unused-control.sock"))
        #expect(daemon.log.contains(#"ingest="passed by systemd""#) && daemon.log.contains(#"control="passed by systemd""#),
                "\(daemon.log)")
        let status = try SharectlTests.sharectl(["status", "--json", "--socket", daemon.controlSocket])
        #expect(status.status == 0, "\(status.stderr)")
        #expect((status.json as? [String: Any])?["totals"] != nil)
        try daemon.notify.wait { $0.hasPrefix("STATUS=") && $0.contains("events/s") }

        let beforeReload = Date()
        daemon.signal(SIGHUP)
        let reloading = try daemon.notify.wait { $0.hasPrefix("RELOADING=1") }
        let fields = reloading.split(separator: "\n")
        #expect(fields.count == 2 && fields[1].hasPrefix("MONOTONIC_USEC="), "\(reloading)")
        let deadline = Date().addingTimeInterval(10)
        while daemon.notify.count(since: beforeReload, { $0 == "READY=1" }) == 0 && Date() < deadline { usleep(10_000) }
        #expect(daemon.notify.count(since: beforeReload, { $0 == "READY=1" }) == 1)

        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        try daemon.notify.wait { $0 == "STOPPING=1" }
    }

    @Test("a passed socket named neither ingest nor control, or a second of one name, is not used, and the log says so",
          arguments: ["extra", "ingest"])
    func otherNamesAreReported(second: String) throws {
        let daemon = try ActivatedDaemon(fdNames: "ingest:" + second)
        let client = try daemon.ingestClient()
        #expect(try client.exchange([#"{"type":"click","share":"activated"}"#]) == [#"{"ok":true}"#], "\(daemon.log)")
        #expect(eventually { daemon.log.contains(#"<4>sockets passed by systemd other than the first named ingest"#)
                             && daemon.log.contains("names=\(second)") }, "\(daemon.log)")
        // The control socket was not passed under its name: the daemon made its own.
        #expect(FileManager.default.fileExists(atPath: daemon.directory + "/unused-control.sock"))
        // The socket it does not use is closed: a client of it is refused, not left waiting.
        #expect(throws: (any Error).self) { try LineClient(path: daemon.controlSocket) }
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }

    @Test("sockets passed without names are used where they are bound at ingest_socket and control_socket")
    func unnamedSocketsTakenByPath() throws {
        let daemon = try ActivatedDaemon(fdNames: nil)
        let client = try daemon.ingestClient()
        #expect(try client.exchange([#"{"type":"click","share":"activated"}"#]) == [#"{"ok":true}"#], "\(daemon.log)")
        let status = try SharectlTests.sharectl(["status", "--json", "--socket", daemon.controlSocket])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(daemon.log.contains(#"ingest="passed by systemd""#) && daemon.log.contains(#"control="passed by systemd""#),
                "\(daemon.log)")
        #expect(!daemon.log.contains("are not used"), "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }

    @Test("a passed socket that is not a listening Unix stream socket is refused at the start, saying which")
    func datagramSocketRefused() throws {
        let daemon = try ActivatedDaemon(activator: ["--datagram"])
        // The first datagram on a socket starts the daemon.
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: daemon.ingestSocket.utf8) }
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, "{}\n", 3, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(sent == 3)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("the descriptor systemd passed as ingest (3) is not a listening Unix stream socket"),
                "\(daemon.log)")
    }

    @Test("a start that migrates the database first asks systemd for more time (EXTEND_TIMEOUT_USEC), then is READY; one that does not, does not")
    func aMigratingStartExtendsItsTimeout() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notify = try NotifyListener(directory: directory)
        #expect(try DaemonProcess(directory: directory).stop() == 0)
        // Back to version 10, without the rollup per advocate and venue: the next start migrates.
        try Database(path: directory + "/sharetrack.db", mode: .readWrite).backToVersionTen()

        let migrating = try DaemonProcess(directory: directory, environment: ["NOTIFY_SOCKET": notify.path])
        try notify.wait { $0 == "READY=1" }
        let messages = notify.all.map(\.text)
        let extend = try #require(messages.firstIndex { $0.hasPrefix("EXTEND_TIMEOUT_USEC=") }, "\(messages)")
        #expect(extend < messages.firstIndex(of: "READY=1")!, "\(messages)")
        // A minute plus a second per 10 MB of the file.
        #expect(messages[extend] == "EXTEND_TIMEOUT_USEC=60000000", "\(messages)")
        #expect(migrating.log.contains("migrating \(directory)/sharetrack.db from schema version 10 to 20"), "\(migrating.log)")
        #expect(try migrating.stop() == 0)
        let version = try Database(path: directory + "/sharetrack.db", mode: .readOnly).prepare("PRAGMA user_version")
        #expect(try version.rows { $0.int64(0) } == [20])

        let restarted = Date()
        let current = try DaemonProcess(directory: directory, environment: ["NOTIFY_SOCKET": notify.path])
        let deadline = Date().addingTimeInterval(20)
        while notify.count(since: restarted, { $0 == "READY=1" }) == 0 && Date() < deadline { usleep(10_000) }
        #expect(notify.count(since: restarted) { $0 == "READY=1" } == 1)
        #expect(notify.count(since: restarted) { $0.hasPrefix("EXTEND_TIMEOUT_USEC=") } == 0)
        #expect(!current.log.contains("migrating"))
        #expect(try current.stop() == 0)
    }

    @Test("WATCHDOG=1 comes at half of WATCHDOG_USEC, and stops while the flush path is wedged")
    func watchdogFollowsFlushHealth() throws {
        let daemon = try ActivatedDaemon(environment: ["WATCHDOG_USEC": "1000000"], arguments: ["--flush-interval", "0.2"])
        let client = try daemon.ingestClient()
        #expect(try client.exchange([#"{"type":"click","share":"w"}"#]) == [#"{"ok":true}"#])
        let healthy = Date()
        Thread.sleep(forTimeInterval: 2.1)
        let pings = daemon.notify.count(since: healthy) { $0 == "WATCHDOG=1" }
        #expect((3...6).contains(pings), "expected a ping every 0.5 s, got \(pings) in 2.1 s")

        // Another process holds the database locked: flushes fail, pings must stop.
        let locker = try DatabaseLocker(path: daemon.database)
        try client.send(lines: [#"{"type":"click","share":"w"}"#])
        Thread.sleep(forTimeInterval: 1.5)  // the watchdog timeout passes
        let wedged = Date()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(daemon.notify.count(since: wedged) { $0 == "WATCHDOG=1" } == 0)

        locker.release()
        #expect(try client.readLine() == #"{"ok":true}"#)  // committed once the lock is gone
        let recovered = Date()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(daemon.notify.count(since: recovered) { $0 == "WATCHDOG=1" } >= 2)

        // The journal locked: the flushes fail. Whichever failed, the log says when it works again.
        let journalLocker = try DatabaseLocker(path: daemon.database + ".journal")
        try client.send(lines: [#"{"type":"click","share":"w"}"#])
        Thread.sleep(forTimeInterval: 1)
        journalLocker.release()
        #expect(try client.readLine() == #"{"ok":true}"#)
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(daemon.log.contains("<5>applying batches works again") && daemon.log.contains("<3>flush failed")
                && daemon.log.contains("<5>flushes succeed again"), "\(daemon.log)")
    }

    @Test("WATCHDOG=1 keeps coming between flushes further apart than the watchdog's timeout")
    func watchdogWithALongFlushInterval() throws {
        // Pings every 0.5 s; the flushes 3 s apart, each one healthy.
        let daemon = try ActivatedDaemon(environment: ["WATCHDOG_USEC": "1000000"], arguments: ["--flush-interval", "3"])
        // The first connection starts it; the line's answer waits for the first flush.
        #expect(try daemon.ingestClient().exchange([#"{"type":"click","share":"w"}"#]) == [#"{"ok":true}"#])
        let start = Date()
        Thread.sleep(forTimeInterval: 4.2)
        let pings = daemon.notify.count(since: start) { $0 == "WATCHDOG=1" }
        #expect(pings >= 7, "expected a ping every 0.5 s, got \(pings) in 4.2 s")
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(!daemon.log.contains("withholding watchdog ping"), "\(daemon.log)")
    }
}

/// The `sqlite3` shell holding an exclusive transaction on a database until released.
final class DatabaseLocker {
    private let process = Process()
    private let input = Pipe()

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nINSERT INTO meta VALUES ('lock', 1);\n".utf8))
        Thread.sleep(forTimeInterval: 0.3)
    }

    /// Rolls back and quits; returns once the shell is gone.
    func release() {
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        process.waitForTermination(timeout: 10)
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
