import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct SourcesCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Show every producer (kiosk or redirector) and flag the silent ones.",
        discussion: """
            A producer is any `source` that has sent a line: its last line's receive time, the \
            highest seq answered, and its lines accepted, rejected, duplicate and test.
            """)

    @Option(name: .customLong("silent-after"), help: ArgumentHelp(
        "Flag producers whose last line is older than this (30s, 5m, 2h, ...).", valueName: "duration"))
    var silentAfter = DurationArgument(seconds: Queries.defaultSilentAfter)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .sources, query: Query(silentAfter: silentAfter.seconds))
    }

    func printText(_ rows: [SourceRow], now: Int64) {
        var table = Table([("SOURCE", .left), ("LAST SEEN", .right), ("LAST SEQ", .right), ("ACCEPTED", .right),
                           ("REJECTED", .right), ("DUPLICATES", .right), ("TEST", .right), ("STATUS", .left)])
        for row in rows {
            table.append([row.source, Formatting.ago(row.silentFor), Formatting.integer(row.lastSeq),
                          Formatting.integer(row.accepted), Formatting.integer(row.rejected),
                          Formatting.integer(row.duplicates), Formatting.integer(row.test), row.silent ? "SILENT" : "ok"])
        }
        table.print(empty: "no producer has sent a line with a source yet")
        let silent = rows.filter(\.silent).count
        if silent > 0 {
            print("\n\(silent) of \(rows.count) silent for more than \(Formatting.duration(Double(silentAfter.seconds)))")
        }
    }
}
