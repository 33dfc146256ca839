import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct AdvocateCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "advocate",
        abstract: "Show one advocate: totals, per network, per venue, per tier, recent shares.",
        discussion: """
            The recent shares are the latest \(Queries.recentShares) of the advocate's shares with \
            counters in the range. An advocate with no share at all is an error.
            """)

    @Argument(help: "The advocate id.")
    var id: String

    @OptionGroup var filters: FilterOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var layout: TableOptions
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .advocate, query: Query(id: id, filter: filters.filter(now: now)))
    }

    func printText(_ report: AdvocateReport, now: Int64) {
        printFields([("advocate", report.advocate)] + counterFields(report.totals))
        for (title, rows, dimension) in [("per network", report.networks, GroupRow.Dimension.network),
                                         ("per venue", report.venues, .venue), ("per tier", report.tiers, .tier)] {
            print("\n\(title):")
            Table(rows, dimension: dimension).print(empty: "none in this range", width: layout.width)
        }
        print("\nrecent shares:")
        Table(report.recentShares).print(empty: "none in this range", width: layout.width)
    }
}
