import Glibc

/// A blocking connection to one of the daemon's Unix sockets. A value type holding the
/// descriptor, so a writer thread may send while the owner reads; the owner closes it.
struct SocketConnection: Sendable {
    let path: String
    private let fd: Int32

    /// Connects to `path`; `unreachable` says what to try when nobody listens there.
    init(path: String, unreachable: String) throws(Failure) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw Failure("cannot connect to \(path): the path is longer than \(capacity - 1) bytes", exitCode: 64)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8)
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("cannot create a socket: \(Self.lastError)") }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Glibc.close(fd)
            let reason = "cannot connect to \(path): \(String(cString: strerror(code)))"
            if code == EACCES || code == EPERM {
                throw Failure("\(reason) — sharectl needs read and write access to the socket "
                              + "(ask for membership of its group)", exitCode: 77)
            }
            throw Failure("\(reason) — \(unreachable)", exitCode: 69)
        }
    }

    func close() {
        Glibc.close(fd)
    }

    func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot send to \(path): \(Self.lastError)", exitCode: 69)
            }
            offset += sent
        }
    }

    /// Tells the daemon nothing more is coming; it still answers what it has.
    func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Appends what the daemon sent next to `buffer`; false once it has closed the connection.
    func receive(into buffer: inout [UInt8]) throws(Failure) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot read from \(path): \(Self.lastError)", exitCode: 69)
            }
            buffer.append(contentsOf: chunk[..<count])
            return count > 0
        }
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
