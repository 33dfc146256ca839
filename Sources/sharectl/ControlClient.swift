import Foundation
import ShareTrackCore

/// A connection to the daemon's control socket: sends one request line, reads one answer line
/// (or, for `export`, the streamed lines and the one that ends them).
struct ControlClient {
    var path: String

    /// The daemon's answer line to `request`.
    func exchange(_ request: ControlRequest) throws -> Data {
        let connection = try connect(sending: request)
        defer { connection.close() }
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

    /// Sends `request` and passes the lines of a streamed answer to `write` (64 KiB of lines at a
    /// time, each with its `\n`) until the line that ends it, which it returns: a line that
    /// starts with `{"ok":` (docs/control-protocol.md).
    func stream(_ request: ControlRequest, to write: ([UInt8]) throws -> Void) throws -> Data {
        let connection = try connect(sending: request)
        defer { connection.close() }
        var reader = LineReader(connection)
        let end = Array(#"{"ok":"#.utf8)
        var lines: [UInt8] = []
        while let line = try reader.next() {
            if line.starts(with: end) {
                try write(lines)
                return Data(line)
            }
            lines += line
            lines.append(0x0A)
            if lines.count >= 1 << 16 {
                try write(lines)
                lines.removeAll(keepingCapacity: true)
            }
        }
        throw Failure("sharetrackd closed the connection before the end of the answer", exitCode: 69)
    }

    /// `ask`'s answer, asked again while the daemon answers `busy` (it runs 4 queries at once,
    /// docs/control-protocol.md, and a report asks many; or it is at its cap of control
    /// connections): after 50 ms, then twice as long each time up to a second, for at most 10 s.
    static func askingAgainWhileBusy<Answer>(_ ask: () throws -> Answer) throws -> Answer {
        let deadline = Date().addingTimeInterval(10)
        var wait = 0.05
        while true {
            do {
                return try ask()
            } catch let error as ControlError where error.error == .busy && Date() < deadline {
                Thread.sleep(forTimeInterval: wait)
                wait = min(2 * wait, 1)
            }
        }
    }

    /// A connection that `request` has been sent on.
    private func connect(sending request: ControlRequest) throws -> SocketConnection {
        let line: [UInt8]
        do {
            line = try ControlCodec.requestLine(request)
        } catch {
            throw Failure("cannot encode the request: \(error)")
        }
        let connection = try SocketConnection(
            path: path, unreachable: "is sharetrackd running? Query commands can read the database directly with --db PATH")
        do {
            try connection.send(line)
        } catch {
            defer { connection.close() }
            throw refusal(on: connection) ?? error
        }
        return connection
    }

    /// The daemon's reason for hanging up before reading a request (at its connection cap it
    /// answers `busy` and closes), if it gave one: the error its answer stands for.
    private func refusal(on connection: SocketConnection) -> (any Error)? {
        var reader = LineReader(connection)
        guard let line = try? reader.next(), IngestAnswer(line)?.ok == false else { return nil }
        do {
            _ = try ControlCodec.decodeResult(Data(line), as: String.self)
            return nil
        } catch {
            return error
        }
    }
}
