import CSystemd
import Glibc

/// Sockets passed in by systemd socket activation (see sd_listen_fds_with_names(3)),
/// by their `FileDescriptorName=`, e.g. `"ingest"` → 3, `"control"` → 4.
public struct ListenSockets: Sendable {
    /// Passed descriptors by name; empty when not socket-activated.
    /// If several share a name, the lowest descriptor is kept.
    public let byName: [String: Int32]
    /// The names of the passed descriptors after the first of their name (not in `byName`).
    public let repeatedNames: [String]

    /// The descriptor named `name`, if systemd passed one.
    public subscript(name: String) -> Int32? { byName[name] }

    /// The descriptor named `name`, if systemd passed one, which must be a listening Unix stream
    /// socket: both protocols are spoken over one. Another (a datagram socket, a TCP socket, a
    /// file) would never be served, or be polled in a busy loop of failing accepts.
    public func unixStreamSocket(named name: String) throws(SystemError) -> Int32? {
        guard let fd = byName[name] else { return nil }
        guard sd_is_socket_unix(fd, UnixSocket.streamType, 1, nil, 0) > 0 else {
            throw SystemError("the descriptor systemd passed as \(name) (\(fd)) is not a listening Unix stream "
                              + "socket: its unit's ListenStream= must name a path", errno: EPROTOTYPE)
        }
        return fd
    }

    /// True when systemd passed no sockets (started by hand).
    public var isEmpty: Bool { byName.isEmpty }

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

        var byName: [String: Int32] = [:]
        var repeatedNames: [String] = []
        let first = csystemd_listen_fds_start()
        for index in 0..<count {
            let fd = first + index
            try configure(fd)
            let name = names?[Int(index)].map { String(cString: $0) } ?? "unknown"
            if byName[name] == nil { byName[name] = fd } else { repeatedNames.append(name) }
        }
        return ListenSockets(byName: byName, repeatedNames: repeatedNames)
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
