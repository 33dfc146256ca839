import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct VenuesCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "venues",
        abstract: "Show per-venue totals, sorted by venue id.")

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var layout: TableOptions
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .venues, query: Query(filter: filters.filter(now: now)))
    }

    func printText(_ rows: [GroupRow], now: Int64) {
        Table(rows, dimension: .venue).print(empty: "no venue has counters in this range", width: layout.width)
    }
}
