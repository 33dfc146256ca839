import Foundation
import Testing

/// `sharetrack-bench` keeps working: a tiny run against a daemon of its own gives sane numbers.
/// No timing assertions: the machine running the tests may be busy.
@Suite("Benchmark tool")
struct BenchmarkToolTests {
    /// A finished run of `sharetrack-bench` with `arguments` (without the caller's `SHARETRACK_`
    /// variables): its exit status and what it printed.
    static func bench(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharetrack-bench"))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitForTermination()
        return (process.terminationStatus, output, errors)
    }

    @Test("a small run counts every event once and reports positive rates")
    func smallRun() throws {
        let bench = DaemonProcess.binary("sharetrack-bench")
        let daemon = DaemonProcess.binary("sharetrackd")
        #expect(FileManager.default.isExecutableFile(atPath: bench), "sharetrack-bench not built next to the tests")

        let (status, output, errors) = try Self.bench(["--events", "5000", "--json", "--flush-interval", "0.2",
                                                        "--window", "1000", "--seed", "7", "--daemon", daemon])
        #expect(status == 0, "sharetrack-bench failed:\n\(errors)")

        let report = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any],
                                  "not a JSON object:\n\(String(decoding: output, as: UTF8.self))\n\(errors)")
        #expect(report["events_sent"] as? Int == 5000)
        #expect(report["events_answered"] as? Int == 5000)
        #expect(report["ok"] as? Int == 5000)
        #expect(report["rejected"] as? Int == 0)
        #expect(report["duplicates"] as? Int == 0)
        #expect(report["daemon_counted"] as? Int == 5000)
        #expect(report["daemon_exit_status"] as? Int == 0)
        #expect((report["events_per_second"] as? Double ?? 0) > 0)
        #expect((report["seconds"] as? Double ?? 0) > 0)

        let latency = try #require(report["ack_latency"] as? [String: Any])
        let p50 = latency["p50_ms"] as? Double ?? -1, p99 = latency["p99_ms"] as? Double ?? -1
        #expect(p50 > 0 && p99 >= p50)

        let ceiling = try #require(report["transport_ceiling"] as? [String: Any])
        #expect((ceiling["events_per_second"] as? Double ?? 0) > 0)
        let ratio = try #require(report["ratio_to_ceiling"] as? Double)
        #expect(ratio > 0 && ratio <= 1)
        // The daemon's CPU per event, from its start until its tables held every batch: more than
        // nothing, and less than the whole run's wall time per event.
        let cpuPerEvent = try #require(report["daemon_cpu_microseconds_per_event"] as? Double)
        let seconds = report["seconds"] as? Double ?? 0
        #expect(cpuPerEvent > 0 && cpuPerEvent < 1e6 * (seconds + 60) * 2 / 5000)

        let flushes = try #require(report["flushes"] as? [String: Any])
        #expect((flushes["observed"] as? Int ?? 0) >= 1)
        #expect((flushes["rows_max"] as? Int ?? 0) > 0)

        let memory = try #require(report["memory"] as? [String: Any])
        #expect((memory["peak_rss_bytes"] as? Int ?? 0) > 0)
        #expect(memory["known_shares"] as? Int == (report["setup"] as? [String: Any])
            .flatMap { $0["mix"] as? [String: Any] }.flatMap { $0["shares"] as? Int })

        let setup = try #require(report["setup"] as? [String: Any])
        let mix = try #require(setup["mix"] as? [String: Any])
        let shares = mix["shares"] as? Int ?? 0, clicks = mix["clicks"] as? Int ?? 0
        let conversions = mix["conversions"] as? Int ?? 0
        #expect(shares + clicks + conversions == 5000)
        #expect(shares > 0 && clicks > 5 * shares && conversions > 0)
    }

    @Test("the same seed gives the same stream")
    func reproducible() throws {
        func run() throws -> [String: Any] {
            let output = try Self.bench(["--events", "3000", "--json", "--seed", "11", "--flush-interval", "0.2",
                                         "--daemon", DaemonProcess.binary("sharetrackd")]).stdout
            return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        }
        let first = try run(), second = try run()
        let mix = { (report: [String: Any]) in
            ((report["setup"] as? [String: Any])?["mix"] as? NSDictionary) ?? [:]
        }
        let bytes = { (report: [String: Any]) in (report["setup"] as? [String: Any])?["bytes"] as? Int }
        #expect(mix(first) == mix(second))
        #expect(bytes(first) != nil && bytes(first) == bytes(second))
    }

    @Test("lines answered overloaded are sent again, with the lines after them, as a producer does: each counted once")
    func overloadedSentAgain() throws {
        // Room for 2,000 rows in memory, 1,000 lines in flight per connection: refusals come.
        let daemon = try DaemonProcess(arguments: ["--max-pending-rows", "2000", "--flush-interval", "0.1"])
        let (status, output, errors) = try Self.bench(["--events", "20000", "--json", "--window", "1000", "--seed", "5",
                                                        "--no-ceiling", "--socket", daemon.ingestSocket,
                                                        "--control", daemon.controlSocket])
        #expect(status == 0, "sharetrack-bench failed:\n\(errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any], "\(errors)")
        let overloaded = report["overloaded"] as? Int ?? 0
        #expect(overloaded > 0)
        #expect(report["ok"] as? Int == 20000 && report["rejected"] as? Int == 0)
        #expect(report["daemon_counted"] as? Int == 20000 + overloaded)

        let totals = try #require(try ConfigurationTests.status(daemon)["totals"] as? [String: Any])
        #expect(totals["accepted"] as? Int == 20000)
        #expect(totals["duplicates"] as? Int == 0)
        #expect(try daemon.stop() == 0)
    }

    @Test("a small run's table judges no performance target, and says why")
    func smallRunNotJudged() throws {
        let run = try Self.bench(["--events", "2000", "--seed", "3", "--flush-interval", "0.2",
                                  "--daemon", DaemonProcess.binary("sharetrackd")])
        let table = String(decoding: run.stdout, as: UTF8.self)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!table.contains("MISSED"), "\(table)")
        #expect(table.contains("not judged") && table.contains("targets not judged: this run sent 2,000 events"), "\(table)")
        // Correctness is judged whatever the size.
        #expect(table.contains("2,000 ok"), "\(table)")
    }

    @Test("a bench stopped by a signal mid-run stops its daemon and removes its directory, exit 128 + the signal",
          arguments: [SIGTERM, SIGHUP])
    func stoppedBench(signal: Int32) throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharetrack-bench"))
        // 20 s of events at this rate; the workload is made before the daemon starts (seconds in a debug build).
        process.arguments = ["--events", "400000", "--rate", "20000", "--no-ceiling", "--daemon", DaemonProcess.binary("sharetrackd")]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": directory]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGTERM) } }
        let daemonDirectory = { try? FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("sharetrack-bench-") } }
        try #require(eventually(timeout: 120) {
            daemonDirectory().map { FileManager.default.fileExists(atPath: "\(directory)/\($0)/ingest.sock") } == true
        })
        let launched = try #require(daemonDirectory())
        usleep(500_000)  // sending
        kill(process.processIdentifier, signal)
        process.waitForTermination()
        #expect(process.terminationStatus == 128 + signal)
        #expect(daemonDirectory() == nil)
        let commandLines = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap {
            try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)
        }
        #expect(!commandLines.contains { $0.contains(launched) }, "a sharetrackd on \(launched) still runs")
    }
}
