import ArgumentParser
import Foundation
import ShareTrackCore
import ShareTrackStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page of the numbers, with charts, for brand managers.",
        discussion: """
            The page shows the headline totals (with the change against the previous range of the \
            same length, when there is one with data), engagement by follower tier, the trend per \
            hour or per day (per hour up to 97 hours: --since 4d and the hour under way), the top advocates, venues and networks, and \
            every chart's numbers as a table. It works offline: styles, script, numbers and the chart \
            library (Chart.js from Debian's libjs-chart.js, /usr/share/javascript/chart.js/) are in \
            the page, and it makes no request. The numbers are those of tiers, top, advocate and \
            venues --json for the same range and filters (a --since without --until ends with the hour \
            under way). An empty range gives a page that says so. \
            With --db postgresql://... the page shows every node of the shared store together, \
            all of it read from one snapshot.
            """)

    @Option(help: ArgumentHelp("The HTML file to write (made whole, or not at all; - writes the page to stdout).",
                               valueName: "file.html"))
    var output: String

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if connection.json && OutputFile.isStdout(output) {
            throw ValidationError("--json prints a summary of the file written: use it with a file, not stdout")
        }
    }

    func run() throws {
        let now = Int64(Date().timeIntervalSince1970)
        try Failure.reporting {
            let library = try ChartLibrary.load()
            let file = try OutputFile(path: output)
            let answers = try QueryAnswers(socketPath: connection.socketPath, databasePath: database.path)
            let data = try answers.snapshot { try ReportData(filters.filter(now: now), now: now, answers: answers) }
            let page = ReportPage(data: data, chartLibrary: library, source: answers.description, now: now)
            try file.write(Array(page.html.utf8))
            try file.commit()
            if OutputFile.isStdout(output) {
                return
            } else if connection.json {
                print(#"{"output":\#(ResponseLine.quoted(output)),"empty":\#(data.isEmpty)}"#)
            } else {
                print("wrote \(output): \(page.rangeText)" + (data.isEmpty ? ", no data in this range" : ""))
            }
        }
    }
}
