import ArgumentParser
import Foundation
import ShareTrackCore
import ShareTrackShared
import ShareTrackStore

/// Where the daemon listens, and how to print its answer: options of every command.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The daemon's control socket (default: $SHARETRACK_CONTROL_SOCKET, else /run/sharetrack/control.sock).",
        valueName: "path"))
    var socket: String?

    @Flag(help: "Print the answer as one JSON document, with the contract's field names, instead of text.")
    var json = false

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment[Settings.Key.controlSocket.environmentName]
            ?? Settings().controlSocket
    }
}

/// `--db PATH` of the query commands.
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "Read this SQLite database directly, read-only, instead of asking the daemon (for when it is down); "
            + "or a shared store's PostgreSQL connection string, for every node together.",
        valueName: "path"))
    var path: String?

    /// The connection string, when `--db` names a shared store rather than a file.
    var sharedStore: String? {
        path.flatMap { SharedNodes.isConnectionString($0) ? $0 : nil }
    }

    /// Refuses, without repeating it, a `--db` that names no file but has what connection strings
    /// have (`://`, `@`, a `postgres` prefix, the word `password`): a mistyped connection string,
    /// which an error about a missing file would print whole, its password with it.
    func validate() throws {
        guard let path, sharedStore == nil, !FileManager.default.fileExists(atPath: path) else { return }
        let text = path.lowercased()
        guard text.contains("://") || text.contains("@") || text.hasPrefix("postgres") || text.contains("password")
        else { return }
        throw ValidationError("--db names no file and is not a connection string sharectl reads (postgresql://... or "
                              + "postgres://..., or key=value pairs); it is not repeated here, as it may hold a password")
    }
}

/// `--since` and `--until`.
struct TimeRangeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Count from this time on, rounded down to the hour: a duration before now (90m, 24h, 7d, 2w, 1h30m) or an RFC 3339 time.",
        valueName: "time"), transform: ArgumentValue.pointInTime)
    var since: PointInTime?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Count up to this time, rounded up to the hour and excluded: a duration before now or an RFC 3339 time.",
        valueName: "time"), transform: ArgumentValue.endOfRange)
    var until: PointInTime?

    func filter(now: Int64) -> QueryFilter {
        QueryFilter(since: since?.seconds(now: now), until: until?.seconds(now: now))
    }
}

/// Which shares and hours to count.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only shares made at this venue.", valueName: "id"))
    var venue: String?

    @Option(help: ArgumentHelp("Only shares of this campaign.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("Only shares on this network (instagram, facebook, x, tiktok, ...).", valueName: "name"))
    var network: String?

    @Option(help: "Only shares in this follower tier.")
    var tier: Tier?

    @OptionGroup var range: TimeRangeOptions

    func filter(now: Int64) -> QueryFilter {
        var filter = range.filter(now: now)
        filter.venue = venue
        filter.campaign = campaign
        filter.network = network
        filter.tier = tier
        return filter.canonical
    }
}

/// A length of time given as `30s`, `5m`, `24h`, `7d`, `2w` or a sum like `1h30m`
/// (`ArgumentValue.duration`).
struct DurationArgument: CustomStringConvertible {
    var seconds: Int64

    var description: String { Formatting.duration(Double(seconds)) }
}

extension Tier: ExpressibleByArgument {}
extension Ranking: ExpressibleByArgument {}
