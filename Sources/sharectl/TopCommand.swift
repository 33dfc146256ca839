import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct TopCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Rank advocates.",
        discussion: """
            Advocates ranked by one counter, highest first, ties by advocate id. engagement ranks \
            by engagement rate (unique clicks / reach).
            """)

    @Option(help: "What to rank by.")
    var by: Ranking = .uniqueClicks

    @Option(parsing: .unconditional, help: "How many advocates to show (default: \(Queries.defaultLimit)).",
            transform: ArgumentValue.count)
    var limit = Queries.defaultLimit

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var layout: TableOptions
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .top, query: Query(by: by.rawValue, limit: limit, filter: filters.filter(now: now)))
    }

    func printText(_ rows: [GroupRow], now: Int64) {
        Table(rows, dimension: .advocate, ranked: true).print(empty: "no advocate has counters in this range", width: layout.width)
    }
}
