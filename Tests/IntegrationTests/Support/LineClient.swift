import Foundation
import Glibc

/// A blocking Unix-socket client that writes lines and reads response lines, with a timeout.
final class LineClient {
    private let fd: Int32
    private var buffered: [UInt8] = []

    init(path: String, timeoutSeconds: Int = 30) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        // No close here: `fd` is set, so `deinit` runs when this throws, and closes it. (Closing it
        // here too closed whatever another test's thread had opened under that number meanwhile.)
        guard connected == 0 else { throw TestFailure("connect \(path): \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Runs `body` with the socket, for options and raw reads a test needs.
    func withFileDescriptor<R>(_ body: (Int32) throws -> R) rethrows -> R { try body(fd) }

    /// Half-closes: the daemon sees the end of input but can still answer.
    func finishWriting() { shutdown(fd, Int32(SHUT_WR)) }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Sends each line with a trailing newline, all in one write (pipelined).
    func send(lines: [String]) throws {
        try send(lines.map { $0 + "\n" }.joined())
    }

    /// The next response line, or nil at end of stream.
    func readLine() throws -> String? {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return nil }
            guard count > 0 else { throw TestFailure("read failed or timed out: \(String(cString: strerror(errno)))") }
            buffered += chunk[..<count]
        }
    }

    func readLines(_ count: Int) throws -> [String] {
        try (0..<count).map { _ in
            guard let line = try readLine() else { throw TestFailure("connection closed early") }
            return line
        }
    }

    /// Sends lines and reads one response for each.
    func exchange(_ lines: [String]) throws -> [String] {
        try send(lines: lines)
        return try readLines(lines.filter { !$0.isEmpty }.count)
    }

    /// A decoded response line.
    static func decode(_ line: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("response is not an object: \(line)")
        }
        return object
    }
}
