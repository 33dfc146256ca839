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
        let binaries = URL(fileURLWithPath: DaemonProcess.binary("sharectl")).deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.repository + "/scripts/demo.sh")
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHARETRACK_") }
            .merging(["BIN": binaries, "VAR": directory, "EVENTS": "6000", "RATE": "3000"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitForTermination(timeout: 120)
        #expect(process.terminationStatus == 0, "\(text)")
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
    }
}
