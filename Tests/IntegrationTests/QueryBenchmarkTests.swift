import Foundation
import Testing

/// `sharetrack-bench --queries` keeps working, and `--query-database` builds its database once:
/// a second run reuses it (on a copy, which the live run writes into), leaving it unchanged.
@Suite("Query benchmark")
struct QueryBenchmarkTests {
    /// Runs a tiny `--queries` bench on `database`; returns its output.
    private func run(_ database: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharetrack-bench"))
        process.arguments = ["--queries", "--query-shares", "2000", "--query-runs", "1", "--rate", "2000",
                             "--ingest-seconds", "6", "--query-database", database,
                             "--daemon", DaemonProcess.binary("sharetrackd")]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitForTermination()
        #expect(process.terminationStatus == 0, "sharetrack-bench --queries failed:\n\(errors)")
        return output
    }

    @Test("a database built once is reused, unchanged, by the next run")
    func reusedDatabase() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/queries.db"

        let first = try run(database)
        #expect(first.contains("built in"), "\(first)")
        #expect(first.contains("top --by unique_clicks 24h --venue"))
        let built = try Data(contentsOf: URL(fileURLWithPath: database))

        let second = try run(database)
        #expect(second.contains("a copy of \(database)"), "\(second)")
        #expect(second.contains("not timed (database reused)"))
        #expect(second.contains("tiers --venue"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == built)
    }
}
