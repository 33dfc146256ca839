import ArgumentParser
import ShareTrackCore

struct ResetSourceCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-source",
        abstract: "Forget a producer's highest seq, so that it may start again at 1.",
        discussion: """
            For a kiosk or redirector that was reinstalled with its seq back at 1 (or whose seq \
            reached 2^53): until then every line of it up to the old highest seq is answered \
            duplicate and counted nothing. Lines already counted stay counted; a line sent again \
            after the reset with an old seq is counted again. Better: give each installation its \
            own source (docs/protocol.md). Waits for the commit; logged at notice. Needs root or \
            the daemon's ops_group. A source never seen is an error.
            """)

    @Argument(help: "The producer's source id.")
    var source: String

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .resetSource, query: Query(id: source))
    }

    func printText(_ reset: SourceReset, now: Int64) {
        print("source \(reset.source): highest seq \(Formatting.integer(reset.forgottenSeq)) forgotten; its next seq may be 1")
    }
}
