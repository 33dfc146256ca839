import ArgumentParser
import ShareTrackCore
import ShareTrackShared

struct NodesCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "Show every node of the shared store: its last shipped batch and how far behind it is.",
        discussion: """
            Live, the daemon answers with the nodes as it last read them from its shared store; \
            with --db postgresql://... (or a key=value connection string) they are read from the \
            store itself, read-only. LAST BATCH is when the node committed the last batch the \
            store holds of it (the node's clock), SHIPPED when the store took it (the store's), \
            BEHIND the time since the store last held everything the node had: an idle node that \
            is up says so every 30 s, so a node whose host or link is down falls behind. \
            With --check it exits 1 when any node is behind by more than --behind-after, for \
            monitoring.
            """)

    @Option(name: .customLong("behind-after"), parsing: .unconditional, help: ArgumentHelp(
        "Flag nodes behind by more than this (300 seconds, 30s, 5m, 2h, ...; default: \(Self.defaultBehindAfter)).", valueName: "duration"),
        transform: ArgumentValue.duration)
    var behindAfter = Self.defaultBehindAfter

    static let defaultBehindAfter = DurationArgument(seconds: 120)

    @Flag(help: "Exit with status 1 when any node is behind (after printing the list).")
    var check = false

    @Option(name: .customLong("db"), help: ArgumentHelp(
        "Read this PostgreSQL shared store directly (postgresql://... or key=value), instead of asking the daemon.",
        valueName: "connection"))
    var store: String?

    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { store }

    func validate() throws {
        if let store, !SharedNodes.isConnectionString(store) {
            throw ValidationError("nodes reads a shared store: --db takes a PostgreSQL connection string")
        }
    }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .nodes)
    }

    func printText(_ rows: [NodeRow], now: Int64) {
        var table = Table([("NODE", .left), ("GENERATION", .right), ("LAST BATCH", .left), ("SHIPPED", .right),
                           ("EVENTS", .right), ("BEHIND", .right), ("STATUS", .left)])
        for row in rows {
            table.append([row.node, Formatting.integer(Int64(row.generation)), timeAndAge(row.batchTime, now: now),
                          Formatting.ago(now - row.shippedAt), Formatting.integer(row.events),
                          Formatting.duration(row.behindSeconds), isBehind(row) ? "BEHIND" : "ok"])
        }
        table.print(empty: "no node has shipped to this store yet")
        if rows.contains(where: isBehind) {
            print("\n\(behindSummary(rows))")
        }
    }

    func failure(in rows: [NodeRow]) -> String? {
        check && rows.contains(where: isBehind) ? behindSummary(rows) : nil
    }

    private func isBehind(_ row: NodeRow) -> Bool {
        row.behindSeconds > Double(behindAfter.seconds)
    }

    private func behindSummary(_ rows: [NodeRow]) -> String {
        "\(rows.filter(isBehind).count) of \(rows.count) nodes behind by more than \(behindAfter)"
    }
}
