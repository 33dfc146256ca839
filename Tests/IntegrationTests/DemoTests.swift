import Foundation
import Glibc
import Testing

/// `make demo`'s script, shortened: a real daemon on a directory of its own, a simulated chain
/// from sharetrack-bench, then the report (checked in the browser) and the export.
@Suite("make demo", .serialized)
struct DemoTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("the demo fills a daemon, writes a report that passes the browser check and an export, and stops the daemon")
    func demo() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, text) = try Self.runDemo(in: directory)
        #expect(status == 0, "\(text)")
        #expect(text.contains("report: \(directory)/report.html") && text.contains("export: \(directory)/export.csv"))
        #expect(text.contains("sharectl tiers --db \(directory)/sharetrack.db"))

        let page = try Browser.inspect(directory + "/report.html")
        ReportTests.expectClean(page)
        #expect(!page.noData)
        #expect(page.tables["table-tiers"]?.count == 5)
        #expect((page.tables["table-advocates"]?.count ?? 0) == 10)
        #expect((page.tables["table-venues"]?.count ?? 0) >= 5)
        #expect(page.bodyText.contains("Changes compare with the previous"), "three days of six: the previous three have data")

        let rows = try readCSV(directory + "/export.csv")
        #expect(rows.count > 1000)
        #expect(Set(rows.compactMap { $0["tier"] }.filter { !$0.isEmpty }).count >= 4)
        // The daemon the demo started is gone.
        #expect(try SharectlTests.sharectl(["status", "--socket", directory + "/control.sock"]).status != 0)

        // Another run adds as many shares (new tokens), as the demo says, not duplicates of the first's.
        let first = try Self.shares(in: directory)
        sleep(1)
        let (again, log) = try Self.runDemo(in: directory)
        #expect(again == 0, "\(log)")
        let second = try Self.shares(in: directory)
        #expect(first > 0 && second == 2 * first, "\(first) shares, then \(second)")
    }

    private static func runDemo(in directory: String) throws -> (status: Int32, output: String) {
        let binaries = URL(fileURLWithPath: DaemonProcess.binary("sharectl")).deletingLastPathComponent().path
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
            .merging(["BIN": binaries, "VAR": directory, "EVENTS": "6000", "RATE": "3000"]) { $1 }
        return try InstallTests.run(repository + "/scripts/demo.sh", [], environment: environment)
    }

    /// Every share the database holds, summed over the tiers.
    private static func shares(in directory: String) throws -> Int {
        let tiers = try SharectlTests.sharectl(["tiers", "--json", "--db", directory + "/sharetrack.db"])
        return (tiers.json as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["shares"] as? Int ?? 0) }
    }
}
