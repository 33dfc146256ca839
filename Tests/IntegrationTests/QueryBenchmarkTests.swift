import Foundation
import ShareTrackStore
import Testing

/// `sharetrack-bench --queries` keeps working, and `--query-database` builds its database once:
/// a second run reuses it (on a copy, which the live run writes into), leaving it unchanged. Its
/// live ingest continues the database's advocates.
@Suite("Query benchmark")
struct QueryBenchmarkTests {
    /// Runs a tiny `--queries` bench on `database`; returns its output and its standard error.
    private func run(_ database: String, arguments: [String] = []) throws -> (output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharetrack-bench"))
        process.arguments = ["--queries", "--query-shares", "2000", "--query-runs", "1", "--rate", "2000",
                             "--ingest-seconds", "6", "--query-database", database,
                             "--daemon", DaemonProcess.binary("sharetrackd")] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitForTermination()
        #expect(process.terminationStatus == 0, "sharetrack-bench --queries failed:\n\(errors)")
        return (output, errors)
    }

    @Test("a database built once is reused, unchanged, by the next run")
    func reusedDatabase() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/queries.db"

        let first = try run(database).output
        #expect(first.contains("built in"), "\(first)")
        #expect(first.contains("top --by unique_clicks 24h --venue"))
        let built = try Data(contentsOf: URL(fileURLWithPath: database))

        let second = try run(database).output
        #expect(second.contains("a copy of \(database)"), "\(second)")
        #expect(second.contains("not timed (database reused)"))
        #expect(second.contains("tiers --venue"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == built)
    }

    /// The shares the live ingest sends give each advocate the followers and network of the
    /// database's shares of it: no advocate takes a second tier or network from the bench alone.
    @Test("the live ingest continues the database's advocates")
    func liveIngestContinuesTheAdvocates() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/queries.db"
        let (_, errors) = try run(database, arguments: ["--keep"])
        let kept = try #require(errors.split(separator: "\n").compactMap { line in
            line.firstRange(of: "kept ").map { String(line[$0.upperBound...]) }
        }.first { $0.contains("querybench") }, "\(errors)")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        let copy = try Database(path: kept + "/sharetrack.db", mode: .readOnly)
        let built = try Database(path: database, mode: .readOnly)
        let builtShares = try built.prepare("SELECT count(*) FROM shares").rows { $0.int64(0) }.first ?? 0
        // The live run's shares, and the advocates they share with the database's.
        let counts = try copy.prepare("""
            SELECT count(*) - \(builtShares),
                (SELECT count(*) FROM (SELECT advocate FROM shares GROUP BY advocate HAVING count(*) > 1)),
                (SELECT count(*) FROM (SELECT advocate FROM shares GROUP BY advocate
                    HAVING count(DISTINCT network) > 1 OR count(DISTINCT followers) > 1))
            FROM shares
            """).rows { [$0.int64(0), $0.int64(1), $0.int64(2)] }.first ?? []
        #expect(counts.count == 3 && counts[0] > 500 && counts[1] > 10, "\(counts)")
        #expect(counts.last == 0, "advocates with a second network or follower count: \(counts)")
    }
}
