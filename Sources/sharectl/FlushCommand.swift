import ArgumentParser
import ShareTrackCore

struct FlushCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Commit what the daemon holds in memory now.",
        discussion: "Waits for the commit and prints what it wrote. Needs root or the daemon's ops_group.")

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .flush)
    }

    func printText(_ report: FlushReport, now: Int64) {
        guard report.error == nil else { return }
        if report.events == 0 && report.rows == 0 {
            print("nothing to flush (database at generation \(report.generation))")
        } else {
            print("flushed \(StatusCommand.describe(report))")
        }
    }

    func failure(in report: FlushReport) -> String? {
        report.error.map { "flush failed: \($0)" }
    }
}
