import ArgumentParser
import Foundation
import ShareTrackCore
import ShareTrackShared
import ShareTrackStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the fact table, one row per share and hour, as CSV or NDJSON.",
        discussion: """
            Columns: hour (RFC 3339, UTC), share, advocate, venue, campaign, network, tier, \
            followers, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value, \
            engagement_rate, orphan_clicks, orphan_conversions. An orphan (a token whose share has \
            not arrived) has empty attribution. engagement_rate is the row's own; for any sum of \
            rows take sum(unique_clicks) / sum(reach). Rows come from one consistent snapshot, in \
            share and hour order, streamed: any size keeps sharectl and the daemon in bounded memory. \
            With --db postgresql://... the rows are those of every node of the shared store together.
            """)

    @Option(help: "csv (RFC 4180, a header row; the default) or ndjson (one JSON object per line).")
    var format: ExportFormat?

    @Option(help: ArgumentHelp("Write to this file (made whole, or not at all) instead of stdout (-: stdout).", valueName: "file"))
    var output: String?

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    /// `--json` with the rows on stdout: they are one JSON array of the NDJSON rows. (With
    /// `--output`, `--json` is the summary of the file written.)
    private var rowsAsJSONArray: Bool { connection.json && OutputFile.isStdout(output) }

    func validate() throws {
        if rowsAsJSONArray && format == .csv {
            throw ValidationError("--json on stdout writes the rows as one JSON array, not CSV "
                                  + "(with --output, --json prints a summary of the file written)")
        }
    }

    func run() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let filter = filters.filter(now: now)
        let format = format ?? (rowsAsJSONArray ? .ndjson : .csv)
        try Failure.reporting {
            let file = try OutputFile(path: output)
            let array = rowsAsJSONArray ? JSONArrayStream(file) : nil
            let write = array?.write ?? file.write
            let rows: Int
            if let store = database.sharedStore {
                let connection = try PostgresConnection(store, applicationName: "sharectl")
                rows = try SharedQueries(connection).export(filter, as: format, to: write)
            } else if let path = database.path {
                rows = try QueryAnswers.offline(path).export(filter, live: nil, as: format, to: write)
            } else {
                let request = ControlRequest(command: .export, query: Query(filter: filter, format: format.rawValue))
                // A busy answer comes first, before any row.
                rows = try ControlClient.askingAgainWhileBusy {
                    let end = try ControlClient(path: connection.socketPath).stream(request, to: write)
                    return try ControlCodec.decodeResult(end, as: ExportSummary.self).rows
                }
            }
            try array?.finish()
            try file.commit()
            guard let output, !OutputFile.isStdout(output) else { return }
            if connection.json {
                print(#"{"output":\#(ResponseLine.quoted(output)),"rows":\#(rows)}"#)
            } else {
                print("wrote \(Formatting.integer(rows)) rows to \(output)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
