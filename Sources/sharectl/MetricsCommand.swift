import ArgumentParser
import ShareTrackCore

struct MetricsCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print the daemon's own metrics in the Prometheus text exposition format.")

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .metrics)
    }

    func printText(_ metrics: MetricsText, now: Int64) {
        print(metrics.text, terminator: metrics.text.hasSuffix("\n") ? "" : "\n")
    }
}
