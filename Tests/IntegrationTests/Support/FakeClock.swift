/// A process's clock set back, by libfaketime (Debian's `faketime` package): for what depends on
/// the time a command runs at, which a test cannot wait for.
enum FakeClock {
    /// The command that runs another `hours` behind the real clock (a launcher for
    /// `SharectlTests.sharectl`).
    static func behind(hours: Int) -> [String] {
        ["/usr/bin/faketime", "-f", "-\(hours)h"]
    }

    /// The command that runs another with its clock set to `time` (`2026-12-01 03:00:00`, UTC)
    /// when it starts.
    static func at(_ time: String) -> [String] {
        ["/usr/bin/env", "TZ=UTC", "/usr/bin/faketime", "-f", "@" + time]
    }
}
