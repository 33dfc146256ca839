import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct TiersCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers",
        abstract: "Show totals per follower tier.",
        discussion: """
            One row for every tier, nano to mega, zeros included. A share's tier is fixed when it \
            is recorded, from the advocate's followers and the daemon's tier_bounds. ADVOCATES \
            counts the distinct advocates with counters in the range.
            """)

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var layout: TableOptions
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .tiers, query: Query(filter: filters.filter(now: now)))
    }

    func printText(_ rows: [GroupRow], now: Int64) {
        Table(rows, dimension: .tier, advocates: true).print(empty: "no tiers", width: layout.width)
    }
}
