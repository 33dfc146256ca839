import ArgumentParser
import Foundation
import ShareTrackCore

@main
struct Sharectl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharectl",
        abstract: "Operate and query sharetrackd, the ShareTrack share and click counter.",
        discussion: """
            sharectl talks to sharetrackd over its control socket: one request, one answer. \
            sharectl send posts events to the ingest socket instead.

            QUERIES
            top, advocate, share, venues, tiers and sources answer from what the daemon has \
            committed plus what it still holds in memory, so the numbers are live. With --db PATH \
            they read the SQLite database directly, read-only, for when the daemon is down; they \
            then show what was committed, the same numbers the daemon gives once it has flushed.

            TIME RANGES
            Counters are kept in hour buckets (UTC, by event time). --since is rounded down to \
            the hour and --until up, and the range is [since, until). Both take a duration before \
            now (90m, 24h, 7d, 2w, 1h30m) or an RFC 3339 time (2026-11-27T20:00:00Z). Every \
            counter, engagement rate included, comes from the buckets in the range.

            REPORT AND EXPORT
            report --output FILE.html writes one self-contained HTML page with charts for brand \
            managers; export writes the fact table (one row per share and hour) as CSV or NDJSON, \
            streamed. Both take the filters of top and work live or with --db; see \
            docs/report-and-export.md.

            OUTPUT
            Tables for people by default. --json prints the answer as one JSON document with \
            the contract's field names (shares, reach, clicks, unique_clicks, bot_clicks, \
            conversions, value, engagement_rate, orphan_clicks, orphan_conversions); a list is an \
            array of objects, each naming its advocate, venue, network, tier, share or source.

            PRIVILEGES
            flush, reload, forget, backup and reset-source need root or membership of the daemon's \
            ops_group; every command needs read and write access to the control socket.

            ENVIRONMENT
            SHARETRACK_CONTROL_SOCKET: the control socket when --socket is not given \
            (default /run/sharetrack/control.sock). SHARETRACK_INGEST_SOCKET: send's ingest \
            socket when --ingest-socket is not given (default /run/sharetrack/ingest.sock). \
            SHARETRACK_CHART_JS: the Chart.js file report inlines (default \
            /usr/share/javascript/chart.js/chart.min.js).

            EXIT STATUS
            0 success; 1 failure, an unknown advocate or share, a line send had rejected and a \
            silent producer of sources --check included; 64 bad usage or request (an unknown \
            command or help topic too, or the wrong kind of socket); 66 an input file that cannot \
            be read; 69 the daemon cannot be reached (or Chart.js is missing); 73 the output file \
            of export or report cannot be written; 77 permission denied.

            EXAMPLES
              sharectl status
              sharectl send events.ndjson --quiet
              sharectl top --since 24h --by engagement --limit 10
              sharectl advocate ann --since 7d
              sharectl tiers --venue berlin-mitte --json
              sharectl venues --db /var/lib/sharetrack/sharetrack.db
              sharectl report --since 7d --output week.html
              sharectl export --since 7d --format ndjson --output week.ndjson
            """,
        version: shareTrackVersion,
        subcommands: [
            StatusCommand.self, TopCommand.self, AdvocateCommand.self, ShareCommand.self, VenuesCommand.self,
            TiersCommand.self, SourcesCommand.self, ExportCommand.self, ReportCommand.self, FlushCommand.self,
            ReloadCommand.self, MetricsCommand.self, ForgetCommand.self, SendCommand.self, BackupCommand.self,
            ResetSourceCommand.self, NodesCommand.self,
        ]
    )

    /// Checks the command name before the argument parser sees it, which would report a typo as
    /// an unexpected argument (or as an unknown option of the next word), and moves the common
    /// options written before it to after it (`LeadingOptions`).
    static func main() {
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        let arguments = LeadingOptions(commands: Set(commands)).reordered(Array(CommandLine.arguments.dropFirst()))
        if let problem = CommandSuggestion(commands: commands).problem(with: arguments) {
            FileHandle.standardError.write(Data("sharectl: \(problem)\n".utf8))
            Foundation.exit(64)
        }
        main(arguments)
    }
}
