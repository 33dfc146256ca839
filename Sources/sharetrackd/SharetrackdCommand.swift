import ArgumentParser
import Glibc
import ShareTrackCore
import ShareTrackDaemon

@main
struct SharetrackdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharetrackd",
        abstract: "Count shares, clicks and conversions, attributed to the advocates who shared.",
        discussion: """
            sharetrackd takes share, click and conversion events as newline-delimited JSON on a Unix \
            socket (see docs/protocol.md), attributes every click and conversion to the advocate, venue, \
            campaign, network and follower tier of its share, keeps the counters in memory and flushes \
            them to SQLite every flush_interval seconds. sharectl inspects it through the control socket.

            Every setting can come from a flag, an environment variable SHARETRACK_<KEY>, or the YAML \
            config file, in that order of precedence; a missing default config file is fine.

            Signals: SIGTERM or SIGINT stop accepting, flush, answer what is pending and exit 0. \
            SIGHUP re-reads the configuration. Under systemd it uses the passed sockets named \
            "ingest" and "control" and reports readiness, status and watchdog pings.
            """,
        version: shareTrackVersion)

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Config file (YAML; default $SHARETRACK_CONFIG, else \(Settings.defaultConfigFile)).", valueName: "path"))
    var config: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Ingest socket path (default /run/sharetrack/ingest.sock).", valueName: "path"))
    var ingestSocket: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Control socket path (default /run/sharetrack/control.sock).", valueName: "path"))
    var controlSocket: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("SQLite database (default /var/lib/sharetrack/sharetrack.db).", valueName: "path"))
    var database: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between flushes, fractions allowed (default 1).", valueName: "seconds"))
    var flushInterval: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("commit: ok after the commit (default); receive: ok on receipt.", valueName: "mode"))
    var ack: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Longest request line in bytes (default 65536).", valueName: "bytes"))
    var maxLineBytes: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Most ingest connections at once, 1 to 65536 (default 1024).", valueName: "count"))
    var maxConnections: String?
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Rows held in memory until the database has them before events are answered overloaded, "
            + "1000 to 100000000 (default 2000000).",
        valueName: "rows"))
    var maxPendingRows: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("File mode of sockets the daemon creates (default 0660).", valueName: "mode"))
    var socketMode: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Group whose members may run the changing commands: flush, reload, forget, backup, reset-source (default: root only).", valueName: "group"))
    var opsGroup: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Upper follower bounds of nano,micro,mid,macro (default 999,5000,100000,1000000).",
                               valueName: "list"))
    var tierBounds: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("debug, info, notice, warning or error (default info).", valueName: "level"))
    var logLevel: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Secret visitor ids are hashed with (default visitor.key next to the database).",
                               valueName: "path"))
    var visitorKeyFile: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep stored visitor hashes this long: 90d, 12h, 30m or seconds (default 0: for ever).",
                               valueName: "duration"))
    var visitorRetention: String?
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Close a connection that sends nothing for this long: seconds, or 30s, 5m, 1h, 1d; 0: never (default 300).",
        valueName: "duration"))
    var idleTimeout: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("This daemon's name in a shared store (default: the host name).", valueName: "name"))
    var node: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("PostgreSQL connection string to ship every batch to (default: none).",
                               valueName: "uri"))
    var sharedStore: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("File holding the shared store's password.", valueName: "path"))
    var sharedStorePasswordFile: String?

    /// Blocks SIGTERM, SIGINT and SIGHUP first of all, so that one sent while the arguments and
    /// the settings are read waits for the daemon too, then runs the command.
    static func main() {
        Daemon.blockSignals()
        main(nil)
    }

    func run() throws {
        let given: [(Settings.Key, String?)] = [
            (.config, config), (.ingestSocket, ingestSocket), (.controlSocket, controlSocket),
            (.database, database), (.flushInterval, flushInterval), (.ack, ack), (.maxLineBytes, maxLineBytes),
            (.maxConnections, maxConnections), (.maxPendingRows, maxPendingRows), (.socketMode, socketMode),
            (.opsGroup, opsGroup),
            (.tierBounds, tierBounds), (.logLevel, logLevel), (.visitorKeyFile, visitorKeyFile),
            (.visitorRetention, visitorRetention), (.idleTimeout, idleTimeout), (.node, node), (.sharedStore, sharedStore),
            (.sharedStorePasswordFile, sharedStorePasswordFile),
        ]
        let flags = Dictionary(uniqueKeysWithValues: given.compactMap { key, value in value.map { (key, $0) } })
        let settings: Settings
        do {
            settings = try SettingsLoader.load(flags: flags, environment: ProcessEnvironment.current)
        } catch {
            throw fail(error, exitCode: 78)  // EX_CONFIG
        }
        DaemonLogging.bootstrap(level: DaemonLogging.level(named: settings.logLevel.rawValue) ?? .info)
        let daemon: Daemon
        do {
            daemon = try Daemon(settings: settings, flags: flags)
        } catch let error as SettingsLoader.Failure {
            // A setting's file that cannot be used (the visitor key, the store's password) or an
            // unreadable connection string.
            throw fail(error, exitCode: 78)
        } catch {
            throw fail(error, exitCode: 1)
        }
        daemon.run()
    }

    /// Says why the daemon cannot start, on stderr with an error priority for journald.
    private func fail(_ error: any Error, exitCode: Int32) -> ExitCode {
        DaemonLogging.writeStartupError("sharetrackd: \(error)")
        return ExitCode(exitCode)
    }
}
