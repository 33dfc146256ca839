import Foundation
import Glibc

/// Long variants of the reliability tests run only with `SHARETRACK_SOAK=1` (`make soak`).
enum Soak {
    static let enabled = ProcessInfo.processInfo.environment["SHARETRACK_SOAK"] == "1"

    /// `suite` in the normal run, `soak` under `SHARETRACK_SOAK=1`.
    static func size(suite: Int, soak: Int) -> Int { enabled ? soak : suite }
}

extension DaemonProcess {
    var pid: Int32 { process.processIdentifier }

    /// `{"command": ...}` on the control socket, decoded.
    func control(_ request: String) throws -> [String: Any] {
        let client = try LineClient(path: controlSocket, timeoutSeconds: 10)
        return try LineClient.decode(try client.exchange([request])[0])
    }

    /// The `result` of `{"command":"status"}`.
    func status() throws -> [String: Any] {
        let response = try control(#"{"command":"status"}"#)
        guard let result = response["result"] as? [String: Any] else { throw TestFailure("status failed: \(response)") }
        return result
    }

    /// The descriptors the daemon has open.
    func openFiles() -> Int {
        guard let directory = opendir("/proc/\(pid)/fd") else { return -1 }
        defer { closedir(directory) }
        var count = -2  // . and ..
        while readdir(directory) != nil { count += 1 }
        return count
    }

    /// Seconds of CPU the daemon has used (user and system).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return -1 }
        // After the command name: state is field 3, utime 14 and stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return Double((Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `status`'s `connections` object.
    func connections() throws -> [String: Int] {
        try status()["connections"] as? [String: Int] ?? [:]
    }

    /// Kilobytes of a `/proc/PID/status` field: `VmRSS` (resident now) or `VmHWM` (peak resident).
    func memoryKB(_ field: String = "VmRSS") -> Int {
        ProcStatus.kilobytes(field, pid: pid)
    }
}

enum ProcStatus {
    static func kilobytes(_ field: String, pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}

/// A small view of the status JSON.
struct StatusNumbers: Equatable, CustomStringConvertible {
    var accepted: Int
    var duplicates: Int
    var rejected: Int
    var rejectedByCode: [String: Int]
    var pendingEvents: Int

    init(_ status: [String: Any]) {
        let totals = status["totals"] as? [String: Any] ?? [:]
        accepted = totals["accepted"] as? Int ?? -1
        duplicates = totals["duplicates"] as? Int ?? -1
        rejected = totals["rejected"] as? Int ?? -1
        rejectedByCode = totals["rejected_by_code"] as? [String: Int] ?? [:]
        pendingEvents = (status["pending"] as? [String: Any])?["events"] as? Int ?? -1
    }

    var description: String {
        "accepted=\(accepted) duplicates=\(duplicates) rejected=\(rejected) \(rejectedByCode) pending=\(pendingEvents)"
    }
}

/// Runs a command to completion; returns its exit status and what it wrote to stdout and stderr.
@discardableResult
func runCommand(_ command: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitForTermination()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The `sqlite3` command-line shell on a database, driven line by line through its stdin, so a
/// test can hold a transaction (and its lock) open for as long as it likes.
final class SQLiteShell {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let collected = LockedText()

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }

    init(database: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-batch", database]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let collected = self.collected
        output.fileHandleForReading.readabilityHandler = { handle in
            collected.append(String(decoding: handle.availableData, as: UTF8.self))
        }
        try process.run()
    }

    deinit {
        if process.isRunning {
            try? input.fileHandleForWriting.close()
            process.waitForTermination()
        }
        output.fileHandleForReading.readabilityHandler = nil
    }

    var log: String { collected.text }

    /// Sends SQL, then waits until the shell has run it (it echoes a marker afterwards).
    func execute(_ sql: String, timeout: Double = 20) throws {
        let marker = "done-\(UInt64.random(in: 0...UInt64.max))"
        input.fileHandleForWriting.write(Data((sql + "\nSELECT '\(marker)';\n").utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while !collected.text.contains(marker) {
            guard Date() < deadline, process.isRunning else { throw TestFailure("sqlite3 did not run \(sql): \(log)") }
            usleep(10_000)
        }
    }

    /// Ends the shell (and with it any transaction it holds).
    func quit() {
        try? input.fileHandleForWriting.close()
        process.waitForTermination()
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass.
func eventually(timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        usleep(20_000)
    } while Date() < deadline
    return try condition()
}

extension LineClient {
    /// Sends raw bytes, then `\n`.
    func sendLine(_ bytes: [UInt8]) throws {
        try send(bytes + [0x0A])
    }

    /// The error code of the next response line (`ok` / `duplicate` for acceptances).
    func nextCode() throws -> String {
        guard let line = try readLine() else { throw TestFailure("connection closed") }
        let object = try LineClient.decode(line)
        if object["ok"] as? Bool == true { return object["duplicate"] as? Bool == true ? "duplicate" : "ok" }
        guard let code = object["error"] as? String, !(object["message"] as? String ?? "").isEmpty else {
            throw TestFailure("rejection without code or message: \(line)")
        }
        return code
    }
}
