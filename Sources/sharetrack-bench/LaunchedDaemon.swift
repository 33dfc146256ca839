import Foundation
import Glibc

/// A `sharetrackd` the bench starts for itself on a temporary directory: its own database, sockets
/// and log, removed afterwards unless kept (and at once if it does not start serving); stopped and
/// removed likewise if the bench is told to stop first (`StopSignals`).
final class LaunchedDaemon {
    let directory: String
    let keep: Bool
    let process = Process()
    var ingestSocket: String { directory + "/ingest.sock" }
    var controlSocket: String { directory + "/control.sock" }
    let database: String
    var logFile: String { directory + "/sharetrackd.log" }
    var pid: Int32 { process.processIdentifier }

    /// Starts `binary` with `arguments` (flags such as `--flush-interval 1`) on `database` (default:
    /// a new one in its directory) and waits until both of its sockets answer.
    init(binary: String, arguments: [String], database: String? = nil, keep: Bool) throws {
        StopSignals.install()
        directory = try makeTemporaryDirectory(prefix: "sharetrack-bench")
        self.keep = keep
        self.database = database ?? directory + "/sharetrack.db"
        let config = directory + "/sharetrackd.yaml"
        _ = FileManager.default.createFile(atPath: config, contents: Data("# sharetrack-bench: flags only\n".utf8))
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config", config, "--database", self.database,
            "--ingest-socket", ingestSocket, "--control-socket", controlSocket,
        ] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        let log = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
            StopSignals.started(pid: pid, directory: directory, keep: keep)
            try waitUntilServing(timeout: 30)
        } catch {
            // The error carries the log; nothing of a daemon that never served is kept.
            if process.isRunning { stop() } else { StopSignals.finished(pid: pid) }
            remove()
            throw error
        }
    }

    private func waitUntilServing(timeout: Double) throws {
        let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
        while monotonicNanoseconds() < deadline {
            guard process.isRunning else {
                throw UnixSocket.Failure("sharetrackd exited at start:\n\(log)", errno: ECHILD)
            }
            if (try? ControlClient(path: controlSocket).status()) != nil,
               let fd = try? UnixSocket.connect(path: ingestSocket) {
                close(fd)
                return
            }
            usleep(20_000)
        }
        throw UnixSocket.Failure("sharetrackd did not start serving within \(Int(timeout)) s:\n\(log)", errno: ETIMEDOUT)
    }

    /// The daemon's log so far.
    var log: String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func stop(timeout: Double = 60) -> Int32 {
        defer { StopSignals.finished(pid: pid) }
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
        while process.isRunning && monotonicNanoseconds() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Stops the daemon, then removes its directory unless kept; returns the directory kept.
    func finish() -> String? {
        StopSignals.waitIfStopping()
        stop()
        guard keep else {
            remove()
            return nil
        }
        return directory
    }

    private func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `sharetrackd` beside this executable (`swift build` puts the products together).
    static func siblingBinary() -> String? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().appendingPathComponent("sharetrackd").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}
