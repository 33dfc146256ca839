import CSystemd
import Glibc

/// Sockets passed in by systemd socket activation (see sd_listen_fds_with_names(3)),
/// by their `FileDescriptorName=`, e.g. `"ingest"` → 3, `"control"` → 4.
public struct ListenSockets: Sendable {
    /// One passed descriptor and its name (`unknown` where none was given, as
    /// `systemd-socket-activate` without `--fdname` passes them).
    public struct Passed: Sendable {
        public let name: String
        public let fd: Int32
    }

    /// The names the daemon looks for.
    private static let names: Set<String> = ["ingest", "control"]

    /// Every passed descriptor, in order; empty when not socket-activated.
    public let sockets: [Passed]

    /// The descriptor for the socket `name` that must listen at `path`, if systemd passed one: the
    /// first named `name`, or else one named neither `ingest` nor `control` that is bound at `path`
    /// (a socket passed without a name still says where it listens). It must be a listening Unix
    /// stream socket: both protocols are spoken over one. Another (a datagram socket, a TCP
    /// socket, a file) would never be served, or be polled in a busy loop of failing accepts.
    public func unixStreamSocket(named name: String, at path: String) throws(SystemError) -> Int32? {
        if let fd = sockets.first(where: { $0.name == name })?.fd {
            guard sd_is_socket_unix(fd, UnixSocket.streamType, 1, nil, 0) > 0 else {
                throw SystemError("the descriptor systemd passed as \(name) (\(fd)) is not a listening Unix stream "
                                  + "socket: its unit's ListenStream= must name a path", errno: EPROTOTYPE)
            }
            return fd
        }
        return sockets.first { !Self.names.contains($0.name) && Self.listens($0.fd, at: path) }?.fd
    }

    /// True when systemd passed no sockets (started by hand).
    public var isEmpty: Bool { sockets.isEmpty }

    /// Whether `fd` is a listening Unix stream socket bound to the file at `path` (the same file,
    /// however either path is spelt).
    private static func listens(_ fd: Int32, at path: String) -> Bool {
        guard sd_is_socket_unix(fd, UnixSocket.streamType, 1, nil, 0) > 0 else { return false }
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return false }
        let bound = withUnsafeBytes(of: address.sun_path) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var boundFile = stat()
        var pathFile = stat()
        guard !bound.isEmpty, stat(bound, &boundFile) == 0, stat(path, &pathFile) == 0 else { return false }
        return boundFile.st_dev == pathFile.st_dev && boundFile.st_ino == pathFile.st_ino
    }

    /// Reads `LISTEN_PID`/`LISTEN_FDS`/`LISTEN_FDNAMES` (left in place) and makes every
    /// passed descriptor close-on-exec and non-blocking.
    public static func fromEnvironment() throws(SystemError) -> ListenSockets {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(0, &names)
        guard count >= 0 else { throw SystemError("sd_listen_fds_with_names", errno: -count) }
        defer {
            for index in 0..<Int(count) { free(names?[index]) }
            free(names)
        }

        var passed: [Passed] = []
        let first = csystemd_listen_fds_start()
        for index in 0..<count {
            let fd = first + index
            try configure(fd)
            passed.append(Passed(name: names?[Int(index)].map { String(cString: $0) } ?? "unknown", fd: fd))
        }
        return ListenSockets(sockets: passed)
    }

    /// Sets `FD_CLOEXEC` and `O_NONBLOCK` on `fd`.
    private static func configure(_ fd: Int32) throws(SystemError) {
        let fdFlags = fcntl(fd, F_GETFD)
        guard fdFlags >= 0, fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) == 0 else {
            throw SystemError("fcntl(\(fd), F_SETFD)")
        }
        let statusFlags = fcntl(fd, F_GETFL)
        guard statusFlags >= 0, fcntl(fd, F_SETFL, statusFlags | O_NONBLOCK) == 0 else {
            throw SystemError("fcntl(\(fd), F_SETFL)")
        }
    }
}
