import Glibc

/// Unix stream socket helpers: listening on a path, accepting, a last write, and reading a peer's credentials.
enum UnixSocket {
    /// `SOCK_STREAM`, named here for the files that also import `CSystemd`: its headers declare
    /// the socket types again, and where the compiler meets them there first, files that import
    /// only `Glibc` no longer find them (a clean build failed so).
    static let streamType = Int32(SOCK_STREAM.rawValue)

    /// Creates a listening socket at `path` with file mode `mode`.
    ///
    /// A stale socket file at `path` (one nobody listens on) is removed first; a socket another
    /// process listens on, and any other kind of file, are refused.
    static func listen(path: String, mode: UInt32) throws -> Int32 {
        var address = try self.address(path)
        if try isStale(path) {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw SystemError("cannot remove the stale socket \(path), which nobody listens on")
            }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        // Created with no permissions, then opened up to `mode`: never wider, not even briefly.
        let previous = umask(0o777)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(previous)
        guard bound == 0 else {
            let error = SystemError("bind \(path)")
            close(fd)
            throw error
        }
        guard chmod(path, mode_t(mode)) == 0, Glibc.listen(fd, SOMAXCONN) == 0 else {
            let error = SystemError("listen \(path)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Whether a stale socket file (one nobody listens on) is at `path`; refuses a socket another
    /// process listens on, and any other kind of file.
    static func isStale(_ path: String) throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw SystemError("\(path) exists and is not a socket; refusing to replace it", errno: EEXIST)
        }
        var address = try self.address(path)
        let probe = connectError(&address)
        guard probe == ECONNREFUSED else {
            let reason = probe == 0 ? "another process is listening on it" : "cannot tell whether it is in use"
            throw SystemError("\(path) exists and \(reason); refusing to replace it", errno: probe == 0 ? EADDRINUSE : probe)
        }
        return true
    }

    private static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw SystemError("socket path \(path) is longer than \(capacity - 1) bytes", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
        }
        return address
    }

    /// 0 when something accepts connections at `address`, else the errno of the attempt
    /// (`ECONNREFUSED`: a socket file nobody listens on; `EAGAIN`: a listener whose queue is full,
    /// which a blocking attempt would wait on for as long as it is wedged).
    private static func connectError(_ address: inout sockaddr_un) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return connected == 0 ? 0 : errno
    }

    /// Accepts one connection, made non-blocking and close-on-exec; -1 (with `errno`) when none was.
    static func accept(_ listener: Int32) -> Int32 {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return -1 }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// A last word to a client being let go: writes what of `bytes` fits now, without waiting,
    /// ends the stream, and discards what the client sent and nobody will read, so that closing
    /// does not reset the connection (a reset can destroy `bytes` before the client reads them).
    static func sendLast(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        shutdown(fd, Int32(SHUT_WR))
        var unread = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<64 where unread.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) > 0 {}
    }

    /// The user and group of the process on the other end (`SO_PEERCRED`).
    static func peerCredentials(_ fd: Int32) -> (uid: uid_t, gid: gid_t)? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }, which Glibc exports only under _GNU_SOURCE.
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return (credentials.uid, credentials.gid)
    }
}
