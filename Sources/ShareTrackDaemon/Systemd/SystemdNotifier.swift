import CSystemd
import Glibc

/// Tells systemd about the daemon's state over `$NOTIFY_SOCKET` (see sd_notify(3)).
///
/// The environment is left in place (`unset_environment` = 0), so later messages
/// (reload, watchdog, stopping) still reach systemd.
public struct SystemdNotifier: Sendable {
    /// The `NOTIFY_SOCKET` address systemd passed in, for logging.
    public let socketPath: String

    /// A notifier when systemd passed `NOTIFY_SOCKET` (`Type=notify`), else `nil`.
    public static func fromEnvironment() -> SystemdNotifier? {
        guard let value = getenv("NOTIFY_SOCKET"), value.pointee != 0 else { return nil }
        return SystemdNotifier(socketPath: String(cString: value))
    }

    /// `READY=1`: startup (or a reload) is complete.
    public func ready() { send("READY=1") }

    /// `STATUS=<line>`: a one-line summary shown by `systemctl status`.
    public func status(_ line: String) { send("STATUS=" + Self.singleLine(line)) }

    /// `WATCHDOG=1`: keep-alive ping; send at least every ``watchdogInterval``.
    public func watchdog() { send("WATCHDOG=1") }

    /// `RELOADING=1` with `MONOTONIC_USEC=` in the same datagram; send ``ready()`` when done.
    public func reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    /// `EXTEND_TIMEOUT_USEC=`: the start (or stop) needs up to `duration` more before the next
    /// message, beyond `TimeoutStartSec=`.
    public func extendTimeout(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        send("EXTEND_TIMEOUT_USEC=\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)")
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() { send("STOPPING=1") }

    /// How often to ping: half of `WatchdogSec=`, or `nil` when the watchdog is off
    /// (or `WATCHDOG_PID` names another process).
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(usec / 2)
    }

    /// Sends raw newline-separated `KEY=VALUE` assignments; `true` if systemd got them.
    @discardableResult
    public func send(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock `MONOTONIC_USEC=` expects.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// A status must stay on one line: control characters become spaces.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
    }
}
