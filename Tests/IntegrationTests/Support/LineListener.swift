import Foundation
import Glibc
import Synchronization

/// A Unix socket server for one connection that answers every non-empty line `{"ok":true}` and
/// keeps the lines: what a client really sends, byte for byte.
final class LineListener: Sendable {
    let path: String
    private let lines = Mutex<(received: [String], done: Bool)>(([], false))

    init(path: String) throws {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 1) == 0 else { throw TestFailure("cannot listen on \(path)") }
        Thread { [self] in
            serve(accept(fd, nil, nil))
            close(fd)
        }.start()
    }

    /// The lines received, once the client has finished sending (or after 30 s).
    var received: [String] {
        let deadline = Date().addingTimeInterval(30)
        while !lines.withLock({ $0.done }) && Date() < deadline { usleep(10_000) }
        return lines.withLock { $0.received }
    }

    private func serve(_ connection: Int32) {
        defer {
            close(connection)
            lines.withLock { $0.done = true }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            buffer += chunk[..<count]
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                guard !line.isEmpty else { continue }
                lines.withLock { $0.received.append(line) }
                _ = #"{"ok":true}\#n"#.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            }
        }
    }
}
