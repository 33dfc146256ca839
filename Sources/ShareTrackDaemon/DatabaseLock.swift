import Glibc

/// An exclusive `flock(2)` on `<database>.lock`, held for the life of the process, so that a
/// second daemon on the same database refuses to start instead of taking over the first one's
/// sockets and journal. The file holds the holder's pid, for the message the second one gives.
///
/// The lock goes with the process (the descriptor is never closed): a daemon that dies, even by
/// `kill -9`, frees it. The file itself stays, since removing it could let two daemons lock
/// two different files of the same name.
struct DatabaseLock: Sendable {
    /// Another process holds the lock.
    struct Held: Error, CustomStringConvertible {
        var database: String
        var lockFile: String
        var pid: Int32?

        var description: String {
            "another sharetrackd\(pid.map { " (pid \($0))" } ?? "") is running on database \(database) "
                + "(it holds \(lockFile)); stop it first, or give this one another database"
        }
    }

    let path: String

    init(database: String) throws {
        path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SystemError("cannot open lock file \(path)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else { throw SystemError("cannot lock \(path)", errno: code) }
            throw Held(database: database, lockFile: path, pid: Self.pid(in: fd))
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, pid, pid.count, 0) == pid.count else {
            let error = SystemError("cannot write lock file \(path)")
            close(fd)
            throw error
        }
    }

    /// The pid the holder wrote, if it has written it yet.
    private static func pid(in fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return buffer[..<count].split(separator: UInt8(ascii: "\n")).first.flatMap { Int32(String(decoding: $0, as: UTF8.self)) }
    }
}
