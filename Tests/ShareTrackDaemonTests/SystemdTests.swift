import Foundation
import Glibc
import Logging
import Testing

@testable import ShareTrackDaemon

/// These tests change process-wide environment variables, so they run one at a time.
@Suite(.serialized)
struct SystemdTests {
    // MARK: SystemdNotifier

    @Test func notifierIsNilWithoutNotifySocket() {
        unsetenv("NOTIFY_SOCKET")
        #expect(SystemdNotifier.fromEnvironment() == nil)
    }

    @Test func notifierSendsExactMessages() throws {
        let socket = try DatagramSocket()
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        let notifier = try #require(SystemdNotifier.fromEnvironment())
        #expect(notifier.socketPath == socket.path)

        notifier.ready()
        #expect(try socket.receive() == "READY=1")
        notifier.status("12 events/s, 3 connections\nsecond line")
        #expect(try socket.receive() == "STATUS=12 events/s, 3 connections second line")
        notifier.watchdog()
        #expect(try socket.receive() == "WATCHDOG=1")

        let before = SystemdNotifier.monotonicMicroseconds()
        notifier.reloading()
        let after = SystemdNotifier.monotonicMicroseconds()
        let reloading = try socket.receive()
        let prefix = "RELOADING=1\nMONOTONIC_USEC="
        #expect(reloading.hasPrefix(prefix))
        let usec = try #require(UInt64(reloading.dropFirst(prefix.count)))
        #expect(before <= usec && usec <= after)

        notifier.stopping()
        #expect(try socket.receive() == "STOPPING=1")
    }

    @Test func watchdogIntervalIsHalfTheTimeout() {
        let notifier = SystemdNotifier(socketPath: "/nonexistent")
        defer { unsetenv("WATCHDOG_USEC"); unsetenv("WATCHDOG_PID") }

        unsetenv("WATCHDOG_USEC")
        unsetenv("WATCHDOG_PID")
        #expect(notifier.watchdogInterval == nil)

        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        #expect(notifier.watchdogInterval == .seconds(15))

        setenv("WATCHDOG_PID", "\(getpid() + 1)", 1)  // meant for another process
        #expect(notifier.watchdogInterval == nil)
    }

    // MARK: ListenSockets
    // Passing real descriptors needs them at 3 and 4, which libdispatch already uses in a
    // test process; that path is covered by running sharetrackd under systemd-socket-activate.

    @Test func listenSocketsEmptyWhenNotActivated() throws {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDNAMES")
        #expect(try ListenSockets.fromEnvironment().isEmpty)

        setenv("LISTEN_FDS", "2", 1)
        setenv("LISTEN_PID", "\(getpid() + 1)", 1)  // meant for another process
        setenv("LISTEN_FDNAMES", "ingest:control", 1)
        defer { unsetenv("LISTEN_FDS"); unsetenv("LISTEN_PID"); unsetenv("LISTEN_FDNAMES") }
        #expect(try ListenSockets.fromEnvironment().isEmpty)
    }

    // MARK: StderrLogHandler

    @Test(arguments: [
        (Logger.Level.trace, "<7>"), (.debug, "<7>"), (.info, "<6>"), (.notice, "<5>"),
        (.warning, "<4>"), (.error, "<3>"), (.critical, "<2>"),
    ])
    func stderrLinePriorityPrefix(level: Logger.Level, prefix: String) {
        #expect(StderrLogHandler.line(level: level, message: "hi", metadata: [:]) == prefix + "hi\n")
    }

    @Test("on a terminal: no <N>, a word for warnings and worse", arguments: [
        (Logger.Level.debug, ""), (.info, ""), (.notice, ""), (.warning, "warning: "), (.error, "error: "),
        (.critical, "critical: "),
    ])
    func stderrLineForPeople(level: Logger.Level, prefix: String) {
        #expect(StderrLogHandler.line(level: level, message: "hi", metadata: ["k": "v"], prefixed: false)
                == prefix + "hi k=v\n")
    }

    @Test func stderrLineMetadata() {
        let line = StderrLogHandler.line(
            level: .info,
            message: "flushed",
            metadata: ["rows": "42", "path": "/var/lib/a b.db", "empty": "", "note": "say \"hi\"\\"]
        )
        #expect(line == #"<6>flushed empty="" note="say \"hi\"\\" path="/var/lib/a b.db" rows=42"# + "\n")
    }

    @Test func stderrLineStaysOnOneLine() {
        let line = StderrLogHandler.line(level: .error, message: "bad\nline\t\u{1}", metadata: ["k": "a\nb"])
        #expect(line == #"<3>bad\nline\t\u{1} k="a\nb""# + "\n")
    }

    // MARK: DaemonLogging

    @Test func levelNamesFromConfig() {
        #expect(DaemonLogging.level(named: "debug") == .debug)
        #expect(DaemonLogging.level(named: "info") == .info)
        #expect(DaemonLogging.level(named: "notice") == .notice)
        #expect(DaemonLogging.level(named: "warning") == .warning)
        #expect(DaemonLogging.level(named: "error") == .error)
        #expect(DaemonLogging.level(named: "trace") == nil)
        #expect(DaemonLogging.level(named: "verbose") == nil)
    }

    @Test func handlersFollowTheSharedLevel() {
        defer { DaemonLogging.setLevel(.info) }
        var stderrHandler = StderrLogHandler(label: "test")
        let journalHandler = JournalLogHandler(label: "test")
        DaemonLogging.setLevel(.warning)
        #expect(stderrHandler.logLevel == .warning)
        #expect(journalHandler.logLevel == .warning)
        DaemonLogging.setLevel(.debug)
        #expect(stderrHandler.logLevel == .debug)
        #expect(journalHandler.logLevel == .debug)
        stderrHandler.logLevel = .error  // a Logger's own choice wins
        DaemonLogging.setLevel(.info)
        #expect(stderrHandler.logLevel == .error)
    }

    @Test func journalStreamMatching() {
        #expect(DaemonLogging.journalStream("8:12345", matchesDevice: 8, inode: 12345))
        #expect(!DaemonLogging.journalStream("8:12345", matchesDevice: 8, inode: 12346))
        #expect(!DaemonLogging.journalStream("9:12345", matchesDevice: 8, inode: 12345))
        #expect(!DaemonLogging.journalStream("garbage", matchesDevice: 8, inode: 12345))
        #expect(!DaemonLogging.journalStream("8:", matchesDevice: 8, inode: 0))
    }

    // MARK: JournalLogHandler

    @Test(arguments: [
        ("connection_id", "CONNECTION_ID"), ("error.type", "ERROR_TYPE"), ("Peer-UID", "PEER_UID"),
        ("_PID", "PID"), ("__x", "X"), ("1st", "META_1ST"), ("_9", "META_9"), ("---", "META_"),
        ("message", "META_MESSAGE"), ("priority", "META_PRIORITY"), ("café", "CAF_"),
        (String(repeating: "a", count: 80), String(repeating: "A", count: 64)),
    ])
    func journalFieldNames(key: String, field: String) {
        #expect(JournalLogHandler.fieldName(key) == field)
    }

    // MARK: Unit files

    @Test(.enabled(if: Self.systemdAnalyze != nil, "systemd-analyze is not installed"))
    func unitFilesVerify() throws {
        let dir = try Self.unitsWithExistingExecStart()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.run(
            Self.systemdAnalyze!,
            ["verify", "--man=no", "sharetrackd.service", "sharetrackd.socket", "sharetrackd-control.socket"],
            in: dir)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.isEmpty, "systemd-analyze verify complained:\n\(result.output)")
    }

    @Test(.enabled(if: Self.systemdAnalyze != nil, "systemd-analyze is not installed"))
    func serviceExposureBelowTwo() throws {
        let dir = try Self.unitsWithExistingExecStart()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.run(
            Self.systemdAnalyze!,
            ["security", "--offline=yes", "--threshold=20", "--no-pager", "sharetrackd.service"],
            in: dir)
        #expect(result.status == 0, "exposure above 2.0:\n\(result.output)")
    }
}

// MARK: Helpers

extension SystemdTests {
    static let systemdAnalyze: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .first { access($0, X_OK) == 0 }

    /// The package's `systemd/` directory, found from this file's path.
    static let unitsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("systemd")

    /// Copies the units to a temp dir with `ExecStart=/bin/true` (verify wants an existing binary).
    static func unitsWithExistingExecStart() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("sharetrack-units-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["sharetrackd.service", "sharetrackd.socket", "sharetrackd-control.socket"] {
            var text = try String(contentsOf: unitsDirectory.appendingPathComponent(name), encoding: .utf8)
            text = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("ExecStart=") ? "ExecStart=/bin/true" : String($0) }
                .joined(separator: "\n")
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// Runs a tool in `dir`; returns its exit status and combined stdout/stderr.
    static func run(_ tool: String, _ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// An AF_UNIX datagram socket bound in a fresh temp dir, standing in for systemd's notify socket.
final class DatagramSocket {
    let fd: Int32
    let path: String
    private let dir: String

    init() throws {
        var template = Array("/tmp/sharetrack-notify-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno)!) }
        dir = String(cString: made)
        path = dir + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno)!) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            bytes.copyBytes(from: path.utf8)
            bytes[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram as text; throws after a 5 s timeout.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    deinit {
        close(fd)
        unlink(path)
        rmdir(dir)
    }
}
