import ArgumentParser
import ShareTrackCore

struct ReloadCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the daemon re-read its configuration (as SIGHUP does).",
        discussion: """
            Prints the values that changed, and the keys whose change waits for a restart \
            (sockets, database, socket mode, visitor key file, node, shared store and its \
            password file). A bad configuration is refused and the running one \
            kept. Needs root or the daemon's ops_group.
            """)

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .reload)
    }

    func printText(_ report: ReloadReport, now: Int64) {
        guard report.error == nil else { return }
        guard !report.changed.isEmpty || !report.needsRestart.isEmpty else {
            return print("configuration reloaded: nothing changed")
        }
        print("configuration reloaded")
        for change in report.changed {
            print("  \(change.key): \(change.old) -> \(change.new)")
        }
        for key in report.needsRestart {
            print("  \(key): changed, takes effect after a restart")
        }
    }

    func failure(in report: ReloadReport) -> String? {
        report.error.map { "reload refused, the running configuration is kept: \($0)" }
    }
}
