import Glibc
import Logging
import Synchronization

/// Sets up swift-log for the daemon: straight to the journal when stderr is connected
/// to it (`JOURNAL_STREAM`), else lines on stderr, `<N>`-prefixed unless a person reads them
/// on a terminal. Holds the process-wide
/// log level, which a config reload can change at any time with ``setLevel(_:)``.
public enum DaemonLogging {
    /// Index into `Logger.Level.allCases`; read on every log call, so an atomic.
    private static let levelIndex = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .info)!)

    /// The current process-wide level. Handlers use it unless a `Logger` set its own.
    public static var level: Logger.Level {
        Logger.Level.allCases[levelIndex.load(ordering: .relaxed)]
    }

    /// Changes the level of every handler made here (e.g. after a config reload).
    public static func setLevel(_ level: Logger.Level) {
        levelIndex.store(Logger.Level.allCases.firstIndex(of: level)!, ordering: .relaxed)
    }

    /// The level for a `log_level` config value: `debug`, `info`, `notice`, `warning`, `error`.
    public static func level(named name: String) -> Logger.Level? {
        switch name {
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warning": .warning
        case "error": .error
        default: nil
        }
    }

    /// Installs the daemon's handler for all loggers. Call once, early in `main`.
    public static func bootstrap(level: Logger.Level, identifier: String = "sharetrackd") {
        setLevel(level)
        let toJournal = stderrIsJournal()
        let prefixed = stderrWantsPriorityPrefix()
        LoggingSystem.bootstrap { label -> any LogHandler in
            if toJournal {
                JournalLogHandler(label: label, identifier: identifier)
            } else {
                StderrLogHandler(label: label, prefixed: prefixed)
            }
        }
    }

    /// Writes why the daemon cannot start to stderr, at error priority; usable before ``bootstrap(level:identifier:)``.
    public static func writeStartupError(_ message: String) {
        StderrLogHandler.writeToStderr(
            StderrLogHandler.line(level: .error, message: message, metadata: [:], prefixed: stderrWantsPriorityPrefix()))
    }

    /// Whether stderr lines get `<N>` priority prefixes: whenever a program may read them
    /// (journald, which sets `JOURNAL_STREAM`; a pipe or a file), not when stderr is a terminal.
    static func stderrWantsPriorityPrefix() -> Bool {
        getenv("JOURNAL_STREAM") != nil || isatty(STDERR_FILENO) == 0
    }

    /// True when `$JOURNAL_STREAM` ("dev:inode") names the file stderr is open on.
    public static func stderrIsJournal() -> Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return journalStream(String(cString: value), matchesDevice: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Parses `JOURNAL_STREAM` ("dev:inode", decimal) and compares it with a stat result.
    static func journalStream(_ value: String, matchesDevice device: UInt64, inode: UInt64) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]) else { return false }
        return dev == device && ino == inode
    }

    /// syslog(3) priority for a level: 7 debug/trace … 2 critical.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
