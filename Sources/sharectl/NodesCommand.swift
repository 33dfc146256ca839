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
            store itself, read-only. BEHIND is the time since the store last held everything the \
            node had.
            """)

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

    func sharedAnswer(_ request: ControlRequest, from store: PostgresConnection, now: Int64) throws -> [NodeRow] {
        try store.execute("SET default_transaction_read_only = on")
        return try SharedNodes.read(store)
    }

    func printText(_ rows: [NodeRow], now: Int64) {
        var table = Table([("NODE", .left), ("GENERATION", .right), ("LAST BATCH", .right), ("SHIPPED", .right),
                           ("EVENTS", .right), ("BEHIND", .right)])
        for row in rows {
            table.append([row.node, Formatting.integer(Int64(row.generation)), Formatting.ago(now - row.batchTime),
                          Formatting.ago(now - Int64(row.shippedAt)), Formatting.integer(row.events),
                          Formatting.duration(row.behindSeconds)])
        }
        table.print(empty: "no node has shipped to this store yet")
    }
}
