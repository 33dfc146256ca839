import ArgumentParser
import ShareTrackCore
import ShareTrackStore

struct ShareCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Show one share: its attribution and its counters.",
        discussion: """
            For a token whose share event has not arrived (yet), its clicks and conversions are \
            orphans: they are shown as such, and attributed once the share arrives. A token never \
            seen at all is an error.
            """)

    @Argument(help: "The share token (the id inside the tracking link).")
    var token: String

    @OptionGroup var range: TimeRangeOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var connection: ConnectionOptions

    var databasePath: String? { database.path }

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .share, query: Query(id: token, filter: range.filter(now: now)))
    }

    func printText(_ report: ShareReport, now: Int64) {
        var fields = [("share", report.share)]
        if let attribution = report.attribution {
            let time = RFC3339.parse(attribution.time).map { timeAndAge($0, now: now, ahead: true) } ?? attribution.time
            fields += [
                ("advocate", attribution.advocate),
                ("venue", attribution.venue),
                ("campaign", attribution.campaign ?? "none"),
                ("network", attribution.network),
                ("followers", "\(Formatting.integer(attribution.followers)) (\(attribution.tier.rawValue))"),
                ("time", time),
            ]
        } else {
            fields.append(("attribution", "none yet: no share event for this token, its clicks are orphans"))
        }
        fields += counterFields(report.totals)
        if report.attribution == nil {
            fields += [("orphan clicks", Formatting.integer(report.orphanClicks)),
                       ("orphan conversions", Formatting.integer(report.orphanConversions))]
        }
        printFields(fields)
    }
}
