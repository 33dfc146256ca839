import Glibc
import ShareTrackCore

/// The file that holds the visitor key (`visitor_key_file`): exactly 32 bytes, readable and
/// writable by its owner only.
///
/// The file is created at first start (32 bytes from the OS's secure random source, mode 0600,
/// owned by the daemon's user): the default one whenever it is missing (a new database, or one
/// restored without its key, which the database then notices), a file named in the configuration
/// only with a database that holds no visitor hashes yet (a new one, or the first release's, whose
/// migration hashes its visitor ids with it). A named file missing beside a database that holds
/// hashes is refused: they are of another key, likely the file a shared store's other daemons use,
/// and a path mistyped or a volume not mounted would otherwise make every visitor look new. A file
/// of another size, or one that group or others may read or write, stops the start.
enum VisitorKeyFile {
    /// A key file that cannot be used stops the start as a bad setting does (`visitor_key_file`).
    typealias Failure = SettingsLoader.Failure

    /// The key in `path`; created there first if `mayCreate` and there is no such file.
    static func load(_ path: String, mayCreate: Bool) throws(Failure) -> VisitorKey {
        if let key = try existing(path, mayBeMissing: mayCreate) { return key }
        return try create(path)
    }

    /// Refuses a file the next start would refuse (a reload's check); creates nothing.
    static func check(_ path: String, mayCreate: Bool) throws(Failure) {
        _ = try existing(path, mayBeMissing: mayCreate)
    }

    /// The key in `path`, or nil if there is no such file and `mayBeMissing`.
    private static func existing(_ path: String, mayBeMissing: Bool) throws(Failure) -> VisitorKey? {
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == ENOENT, mayBeMissing else {
                let missing = errno == ENOENT
                throw Failure(description: "visitor_key_file \(path): \(String(cString: strerror(errno)))"
                              + (missing ? " (a named key file is created only with a database that holds no visitor hashes yet; put back the key "
                                 + "this database was hashed with, or copy the one the other daemons use)" : ""))
            }
            return nil
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Failure(description: "visitor_key_file \(path) is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Failure(description: "visitor_key_file \(path) has mode 0\(String(info.st_mode & 0o777, radix: 8)): "
                          + "group and others must have no access (chmod 600 \(path))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "visitor_key_file \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: VisitorKey.size + 1)
        let count = read(fd, &bytes, bytes.count)
        guard count == VisitorKey.size, let key = VisitorKey(bytes: bytes.prefix(VisitorKey.size)) else {
            throw Failure(description: "visitor_key_file \(path) must hold exactly \(VisitorKey.size) bytes"
                          + (count >= 0 ? ", not \(count == bytes.count ? "more" : String(count))" : ""))
        }
        return key
    }

    /// Writes a new random key to `path` (which must not exist), mode 0600, durably.
    private static func create(_ path: String) throws(Failure) -> VisitorKey {
        let key = VisitorKey.random()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create visitor_key_file \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = key.bytes
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw Failure(description: "cannot write visitor_key_file \(path): \(reason)")
        }
        return key
    }
}
