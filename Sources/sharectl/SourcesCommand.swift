import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct SourcesCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Show every producer (kiosk or redirector) and flag the silent ones.",
        discussion: """
            A producer is any `source` that has sent a line: its last line's receive time, the \
            highest seq answered, and its lines accepted, rejected, duplicate and test. With --check \
            it exits 1 when any producer is silent, for cron jobs and monitoring.
            """)

    @Option(name: .customLong("silent-after"), parsing: .unconditional, help: ArgumentHelp(
        "Flag producers whose last line is older than this (30s, 5m, 2h, ...).", valueName: "duration"),
        transform: ArgumentValue.duration)
    var silentAfter = DurationArgument(seconds: Queries.defaultSilentAfter)

    @Flag(help: "Exit with status 1 when any producer is silent (after printing the list).")
    var check = false

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
        if rows.contains(where: \.silent) {
            print("\n\(silentSummary(rows))")
        }
    }

    func failure(in rows: [SourceRow]) -> String? {
        check && rows.contains(where: \.silent) ? silentSummary(rows) : nil
    }

    private func silentSummary(_ rows: [SourceRow]) -> String {
        "\(rows.filter(\.silent).count) of \(rows.count) silent for more than \(silentAfter)"
    }
}
