import Foundation
import Glibc
import ShareTrackCore

/// A connection to the daemon's control socket: one JSON request line, one JSON response line.
final class ControlClient {
    private let fd: Int32
    private var buffered: [UInt8] = []

    init(path: String) throws {
        fd = try UnixSocket.connect(path: path)
        UnixSocket.setReceiveTimeout(fd, seconds: 30)
    }

    deinit { Glibc.close(fd) }

    func status() throws -> StatusReport {
        try ControlCodec.decodeResult(try exchange(ControlRequest(command: .status)), as: StatusReport.self)
    }

    /// The daemon's Prometheus text exposition.
    func metrics() throws -> String {
        try ControlCodec.decodeResult(try exchange(ControlRequest(command: .metrics)), as: MetricsText.self).text
    }

    /// Sends `request` and returns the answer line (without its newline).
    func exchange(_ request: ControlRequest) throws -> Data {
        let line = try ControlCodec.requestLine(request)
        var offset = 0
        while offset < line.count {
            let sent = line[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw UnixSocket.Failure("control socket: send") }
            offset += sent
        }
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                defer { buffered.removeSubrange(...newline) }
                return Data(buffered[..<newline])
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                throw count == 0 ? UnixSocket.Failure("control socket closed", errno: ECONNRESET)
                    : UnixSocket.Failure("control socket: recv")
            }
            buffered += chunk[..<count]
        }
    }
}
