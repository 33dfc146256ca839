import Foundation
import Glibc
import ShareTrackCore

/// A blocking connection to the daemon's control socket: sends one request line, reads one
/// answer line.
struct ControlClient {
    var path: String

    /// The daemon's answer line to `request`.
    func exchange(_ request: ControlRequest) throws(Failure) -> Data {
        let fd = try connect()
        defer { close(fd) }
        let line: [UInt8]
        do {
            line = try ControlCodec.requestLine(request)
        } catch {
            throw Failure("cannot encode the request: \(error)")
        }
        try send(line, to: fd)
        return try receiveLine(from: fd)
    }

    private func connect() throws(Failure) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw Failure("cannot connect to \(path): the path is longer than \(capacity - 1) bytes", exitCode: 64)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("cannot create a socket: \(Self.lastError)") }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            let reason = "cannot connect to \(path): \(String(cString: strerror(code)))"
            if code == EACCES || code == EPERM {
                throw Failure("\(reason) — sharectl needs read and write access to the control socket "
                              + "(ask for membership of its group)", exitCode: 77)
            }
            throw Failure("\(reason) — is sharetrackd running? Query commands can read the database directly "
                          + "with --db PATH", exitCode: 69)
        }
        return fd
    }

    private func send(_ bytes: [UInt8], to fd: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot send the request to \(path): \(Self.lastError)", exitCode: 69)
            }
            offset += sent
        }
    }

    private func receiveLine(from fd: Int32) throws(Failure) -> Data {
        var line = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot read the answer from \(path): \(Self.lastError)", exitCode: 69)
            }
            if count == 0 {
                throw Failure("sharetrackd closed the connection without answering", exitCode: 69)
            }
            if let newline = chunk[..<count].firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[..<newline])
                return line
            }
            line.append(contentsOf: chunk[..<count])
        }
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
