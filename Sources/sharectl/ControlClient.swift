import Foundation
import ShareTrackCore

/// A connection to the daemon's control socket: sends one request line, reads one answer line.
struct ControlClient {
    var path: String

    /// The daemon's answer line to `request`.
    func exchange(_ request: ControlRequest) throws(Failure) -> Data {
        let line: [UInt8]
        do {
            line = try ControlCodec.requestLine(request)
        } catch {
            throw Failure("cannot encode the request: \(error)")
        }
        let connection = try SocketConnection(
            path: path, unreachable: "is sharetrackd running? Query commands can read the database directly with --db PATH")
        defer { connection.close() }
        try connection.send(line)
        var reader = LineReader(connection)
        guard let answer = try reader.next() else {
            throw Failure("sharetrackd closed the connection without answering", exitCode: 69)
        }
        guard let parsed = IngestAnswer(answer) else {
            throw Failure("\(path) is not sharetrackd's control socket: it answered "
                          + "'\(String(decoding: answer.prefix(80), as: UTF8.self))'", exitCode: 69)
        }
        if let code = parsed.error, ErrorCode(rawValue: code) != nil {
            throw Failure("\(path) is an ingest socket (it answered with the ingest error '\(code)'): "
                          + "sharectl talks to the control socket (--socket; default \(Settings().controlSocket))",
                          exitCode: 64)
        }
        return Data(answer)
    }
}
