import Foundation
import Glibc
import ShareTrackCore
import ShareTrackStore

/// A real `sharetrackd` process on a temporary directory: its own database and sockets.
final class DaemonProcess {
    let directory: String
    let process = Process()
    private let output = Pipe()
    private let collected = LockedText()

    var ingestSocket: String { directory + "/ingest.sock" }
    var controlSocket: String { directory + "/control.sock" }
    var database: String { directory + "/sharetrack.db" }
    /// The key the daemon created at its first start (`visitor.key` next to the database).
    var visitorKey: VisitorKey {
        get throws {
            guard let bytes = FileManager.default.contents(atPath: directory + "/visitor.key"),
                  let key = VisitorKey(bytes: Array(bytes))
            else { throw TestFailure("no visitor key in \(directory)") }
            return key
        }
    }

    /// Starts the daemon and waits until its ingest socket accepts connections.
    ///
    /// - Parameters:
    ///   - directory: reuse a directory (and so its database) from an earlier process.
    ///   - arguments: extra flags, e.g. `["--ack", "receive"]`.
    init(directory: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
         waitForReady: Bool = true) throws {
        self.directory = try directory ?? Self.makeTemporaryDirectory()
        process.executableURL = URL(fileURLWithPath: Self.binary("sharetrackd"))
        process.arguments = [
            "--database", self.directory + "/sharetrack.db",
            "--ingest-socket", self.directory + "/ingest.sock",
            "--control-socket", self.directory + "/control.sock",
            "--config", self.directory + "/none.yaml",
        ] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        let collected = self.collected
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { collected.finish() }  // end of file: the daemon and its children are gone
            collected.append(String(decoding: data, as: UTF8.self))
        }
        if !FileManager.default.fileExists(atPath: self.directory + "/none.yaml") {
            _ = FileManager.default.createFile(atPath: self.directory + "/none.yaml", contents: Data())
        }
        try process.run()
        if waitForReady { try waitUntilListening() }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitForTermination(timeout: 10)
        }
        output.fileHandleForReading.readabilityHandler = nil
    }

    /// Everything the daemon wrote to stdout and stderr so far.
    var log: String { collected.text }

    func waitUntilListening(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let client = try? LineClient(path: ingestSocket) {
                // Wait for the daemon to hang up, so the probe no longer counts as a connection.
                client.finishWriting()
                _ = try? client.readLine()
                return
            }
            guard process.isRunning else { throw TestFailure("sharetrackd exited early:\n\(log)") }
            usleep(20_000)
        }
        throw TestFailure("sharetrackd did not listen within \(timeout) s:\n\(log)")
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Double = 30) throws -> Int32 {
        kill(process.processIdentifier, signal)
        return try waitForExit(timeout: timeout)
    }

    func waitForExit(timeout: Double = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else { throw TestFailure("sharetrackd did not exit within \(timeout) s") }
            usleep(10_000)
        }
        // What it wrote last may still be in the pipe: `log` is complete once the pipe has ended.
        let drained = Date().addingTimeInterval(2)
        while !collected.finished && Date() < drained { usleep(5_000) }
        return process.terminationStatus
    }

    /// A read-only look at the daemon's SQLite file, once its tables hold every batch the daemon
    /// has made durable (it applies a batch right after journaling it; this waits for that).
    func openDatabase() throws -> Database {
        let opened = try Database(path: database, mode: .readOnly)
        let journal = try Database(path: Journal.path(of: database), mode: .readOnly)
        let journaled = try journal.prepare("SELECT COALESCE(MAX(generation), 0) FROM journal")
        let applied = try opened.prepare("SELECT value FROM meta WHERE key = 'generation'")
        let deadline = Date().addingTimeInterval(10)
        while try journaled.rows({ $0.int64(0) })[0] > applied.rows({ $0.int64(0) })[0] {
            guard Date() < deadline else { throw TestFailure("the daemon left its journal unapplied for 10 s") }
            usleep(2_000)
        }
        return opened
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "sharetrack-test-XXXXXX").utf8CString)
        guard let pointer = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: pointer)
    }

    /// A product built beside the test bundle (`swift build` puts them in the same directory).
    static func binary(_ name: String) -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return name
    }
}

/// Text appended from one thread and read from another.
final class LockedText: @unchecked Sendable {
    // @unchecked: every access to `value` and `ended` holds `lock`.
    private let lock = NSLock()
    private var value = ""
    private var ended = false

    /// The writer has closed its end: nothing more will be appended.
    func finish() {
        lock.withLock { ended = true }
    }

    var finished: Bool { lock.withLock { ended } }

    func append(_ text: String) {
        lock.lock()
        value += text
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
