import Glibc
import Logging

/// A socket file this process bound, known by its device and inode, so that on exit it removes
/// that file only: never one that another process has put at the same path since.
struct SocketFile: Sendable {
    let path: String
    private let device: UInt64
    private let inode: UInt64

    /// The socket file now at `path`.
    init(boundAt path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw SystemError("stat \(path)") }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// Unlinks the file if it is still the one this process bound.
    func remove() {
        var info = stat()
        guard lstat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return }
        unlink(path)
    }

    /// Says in the log when the socket's mode lets others connect (`socket_mode` 0666) but a
    /// directory above it keeps them out: one made for the database too (0750), or any other.
    func warnIfOthersKeptOut(logger: Logger) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IWOTH != 0 else { return }
        var directory = path
        while let slash = directory.lastIndex(of: "/"), slash != directory.startIndex {
            directory = String(directory[..<slash])
            guard stat(directory, &info) == 0, info.st_mode & S_IXOTH == 0 else { continue }
            logger.warning("""
                socket_mode lets others connect to \(path), but its directory \(directory) (mode 0\
                \(String(info.st_mode & 0o7777, radix: 8))) keeps them out; put the socket in a directory of its own
                """)
            return
        }
    }
}
