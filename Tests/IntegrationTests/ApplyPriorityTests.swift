import Foundation
import ShareTrackStore
import Testing

/// The apply to the tables runs at background QoS, on threads 10 nicer than the daemon's others
/// (`Flusher.applyQueue`), so that ingest and queries have the CPU first.
@Suite("The apply's priority")
struct ApplyPriorityTests {
    /// A thread of a process: its name, nice value and nanoseconds on a CPU.
    struct DaemonThread {
        var name: String
        var nice: Int
        var ranNanoseconds: Int

        init?(pid: Int32, tid: String) {
            let directory = "/proc/\(pid)/task/\(tid)"
            guard let comm = try? String(contentsOfFile: directory + "/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: directory + "/stat", encoding: .utf8),
                  let schedstat = try? String(contentsOfFile: directory + "/schedstat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            // stat(5): after the name in parentheses, the state is field 3 and the nice value field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard let nice = Int(fields[16]), let ran = Int(schedstat.split(separator: " ")[0]) else { return nil }
            (name, self.nice, ranNanoseconds) = (comm.trimmingCharacters(in: .newlines), nice, ran)
        }

        static func all(of pid: Int32) throws -> [String: DaemonThread] {
            var tasks: [String: DaemonThread] = [:]
            for tid in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
                tasks[tid] = DaemonThread(pid: pid, tid: tid)
            }
            return tasks
        }
    }

    @Test("the batches are applied on a thread 10 nicer than the daemon's main thread")
    func applyThreadIsNicer() throws {
        let daemon = try DaemonProcess()
        let pid = daemon.process.processIdentifier
        let client = try LineClient(path: daemon.ingestSocket)
        let shares = (0..<2_000).map {
            #"{"type":"share","share":"t\#($0)","advocate":"a\#($0)","venue":"v","network":"tiktok","followers":100}"#
        }
        #expect(try client.exchange(shares).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try daemon.control(#"{"command":"flush"}"#)["ok"] as? Bool == true)
        #expect(try DatabaseRows.count(try daemon.openDatabase(), "SELECT count(*) FROM shares") == 2_000)

        let tasks = try DaemonThread.all(of: pid)
        let main = try #require(tasks["\(pid)"])
        try #require(main.nice < 10, "the daemon runs too nice already for a thread 10 nicer")
        let background = tasks.values.filter { $0.nice == main.nice + 10 }
        #expect(background.contains { $0.ranNanoseconds > 0 }, "\(tasks.values.map { ($0.name, $0.nice) })")
        #expect(try daemon.stop() == 0)
    }
}
