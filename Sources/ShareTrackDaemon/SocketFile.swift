import Glibc

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
}
