import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct SourcesCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Show the producers (kiosks, redirectors) seen most recently and flag the silent ones.",
        discussion: """
            A producer is any `source` that has had a line answered ok, duplicate or test, or a \
            line rejected with a valid seq: its last line's receive time, the highest seq answered, and its lines accepted, rejected, \
            duplicate and test. Lists the --limit producers seen most recently, newest first. With \
            --check it exits 1 when any producer listed is silent, for cron jobs and monitoring \
            (a silent producer is among the least recently seen: give a --limit above the number \
            of producers). Over a shared store (--db with its connection string) a NODE column \
            names the node each producer feeds.
            """)

    @Option(name: .customLong("silent-after"), parsing: .unconditional, help: ArgumentHelp(
        "Flag producers whose last line is older than this (300 seconds, 30s, 5m, 2h, ...; default: "
            + "\(DurationArgument(seconds: Queries.defaultSilentAfter))).", valueName: "duration"),
        transform: ArgumentValue.duration)
    var silentAfter = DurationArgument(seconds: Queries.defaultSilentAfter)

    @Flag(help: "Exit with status 1 when any producer is silent (after printing the list).")
    var check = false

    // Unconditional, like `top --limit`: `--limit -1` is then a bad count, not a missing value.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("List this many producers, the most recently seen first (default: \(Queries.defaultSourcesLimit); "
                               + "at most \(Queries.maxSourcesLimit)).",
                               valueName: "n"),
            transform: ArgumentValue.count)
    var limit = Queries.defaultSourcesLimit

    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .sources, query: Query(limit: limit, silentAfter: silentAfter.seconds))
    }

    func printText(_ rows: [SourceRow], now: Int64) {
        // A shared store's answer names each producer's node: one source id may feed several.
        let nodes = rows.contains { $0.node != nil }
        var table = Table((nodes ? [("NODE", .left)] : []) + [
            ("SOURCE", .left), ("LAST SEEN", .right), ("LAST SEQ", .right), ("ACCEPTED", .right),
            ("REJECTED", .right), ("DUPLICATES", .right), ("TEST", .right), ("STATUS", .left)])
        for row in rows {
            table.append((nodes ? [row.node ?? ""] : []) + [
                row.source, Formatting.ago(row.silentFor), Formatting.integer(row.lastSeq),
                Formatting.integer(row.accepted), Formatting.integer(row.rejected),
                Formatting.integer(row.duplicates), Formatting.integer(row.test), row.silent ? "SILENT" : "ok"])
        }
        table.print(empty: "no producer has sent a line with a source yet")
        if rows.count == limit {
            print("\nthe \(limit) producers seen most recently; --limit N shows more")
        }
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
