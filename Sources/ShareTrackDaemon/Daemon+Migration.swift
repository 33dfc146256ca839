import Glibc
import Logging

extension Daemon {
    /// What a start says before it migrates the database at `path` from schema version `from` to
    /// `to`: a log line, and to systemd that it needs longer (`migrationAllowance`), since the
    /// daemon reports ready only after the migration.
    static func announceMigration(of path: String, from: Int64, to: Int64, logger: Logger, notifier: SystemdNotifier?) {
        let allowance = migrationAllowance(databasePath: path)
        logger.notice("""
            migrating \(path) from schema version \(from) to \(to) before serving; on a large database this takes \
            a while (systemd is asked to wait up to \(allowance.components.seconds) s)
            """)
        notifier?.extendTimeout(allowance)
    }

    /// How long a start may take to migrate the database at `databasePath` (asked of systemd with
    /// `EXTEND_TIMEOUT_USEC=`, beyond `TimeoutStartSec=`): a minute plus a second per 10 MB of the
    /// file. Migrations at start have taken up to 5-10 s for a 900 MB database (version 11 as first
    /// released; docs/reliability.md), which gets 150 s: more than ten times that, and a start
    /// wedged for good still ends.
    static func migrationAllowance(databasePath: String) -> Duration {
        var info = stat()
        let bytes = stat(databasePath, &info) == 0 ? Int64(info.st_size) : 0
        return .seconds(60 + bytes / 10_000_000)
    }
}
