/// A process's clock set back, by libfaketime (Debian's `faketime` package): for what depends on
/// the time a command runs at, which a test cannot wait for.
enum FakeClock {
    /// The command that runs another `hours` behind the real clock (a launcher for
    /// `SharectlTests.sharectl`).
    static func behind(hours: Int) -> [String] {
        ["/usr/bin/faketime", "-f", "-\(hours)h"]
    }
}
