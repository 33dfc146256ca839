import ArgumentParser
import Foundation
import ShareTrackCore
import ShareTrackStore

/// A command that sends the daemon one request and prints its answer: as text by default, as
/// the answer's JSON with `--json`.
protocol ControlCommand: ParsableCommand {
    associatedtype Answer: Codable & Sendable

    var connection: ConnectionOptions { get }
    /// The database to answer from instead of the daemon (`--db` of the query commands).
    var databasePath: String? { get }

    func request(now: Int64) -> ControlRequest
    func printText(_ answer: Answer, now: Int64)
    /// Why the answer means the command failed (a refused reload); `nil` when it did not.
    func failure(in answer: Answer) -> String?
}

extension ControlCommand {
    var databasePath: String? { nil }

    func failure(in answer: Answer) -> String? { nil }

    func validate() throws {
        if databasePath != nil, connection.socket != nil {
            throw ValidationError("--db and --socket exclude each other: --db reads the database file, "
                                  + "--socket asks the daemon")
        }
    }

    func run() throws {
        let now = Int64(Date().timeIntervalSince1970)
        try Failure.reporting {
            let request = request(now: now).canonical
            let answer = try QueryAnswers(socketPath: connection.socketPath, databasePath: databasePath)
                .answer(request, now: now, as: Answer.self)
            if connection.json {
                let encoder = ControlCodec.encoder()
                encoder.outputFormatting.insert(.prettyPrinted)
                print(String(decoding: try encoder.encode(answer), as: UTF8.self))
            } else {
                printText(answer, now: now)
            }
            if let failure = failure(in: answer) { throw Failure(failure) }
        }
    }
}
