import Glibc

/// The files of one database, its write-ahead log and its journal (and the journal's log), by
/// device and inode: whether the paths still name the files the daemon has open.
///
/// A database removed or replaced under a running daemon would otherwise go unnoticed: SQLite keeps
/// writing into the open (now unlinked) file, every acknowledged event is lost at the next start,
/// and a stale `-wal` applied to the file that replaced it corrupts that one too.
public struct DatabaseFiles: Sendable {
    private struct Identity: Sendable, Equatable {
        var path: String
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            self.path = path
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private let opened: [Identity]
    private let journal: String

    /// Records the files of the database at `databasePath` as they are now (open).
    public init(databasePath: String) {
        journal = Journal.path(of: databasePath)
        opened = [databasePath, databasePath + "-wal", journal, journal + "-wal"].compactMap(Identity.init(path:))
    }

    /// Whether the database and its `-wal` are still the files opened (whatever became of the
    /// journal's).
    public var databaseIntact: Bool {
        opened.allSatisfy { $0.path.hasPrefix(journal) || Identity(path: $0.path) == $0 }
    }

    /// What happened to a file since `init`: `nil` while every path still names the file opened.
    public func change() -> String? {
        for file in opened {
            guard let now = Identity(path: file.path) else {
                return "\(file.path) was removed while the daemon had it open"
            }
            if now != file { return "\(file.path) was replaced by another file while the daemon had it open" }
        }
        return nil
    }

    /// The device and inode of the database file at `path`, as the journal records them.
    static func identity(of path: String) -> (device: Int64, inode: Int64)? {
        Identity(path: path).map { (Int64(bitPattern: $0.device), Int64(bitPattern: $0.inode)) }
    }

    /// Refuses a database named through a symbolic link to the file: its journal, lock and visitor
    /// key would be looked for beside the link, not beside the file, so another daemon on the file
    /// would not be seen, and a journal left there would not be applied. (A link to a directory on
    /// the way is fine: the files beside the database are the same.)
    public static func refuseLink(databasePath: String) throws {
        guard isLink(databasePath) else { return }
        let target = followingLink(databasePath)
        throw StoreError.cannotOpen(path: databasePath, reason: "it is a symbolic link"
            + (target == databasePath ? "" : " to \(target)") + ": the journal, the lock and the visitor key go "
            + "beside the database file, so name the file itself (a link to its directory is fine)")
    }

    /// Refuses a path that names something other than an SQLite database (a directory, or a file
    /// that holds something else): before the lock and the visitor key are made beside it, so that
    /// a mistyped path leaves nothing behind. A missing or empty file is a new database, and one
    /// with a rollback journal beside it is left to SQLite (a crash in its first transaction may
    /// have torn its first page, which the journal puts back).
    public static func refuseNonDatabase(databasePath: String) throws {
        var info = stat()
        guard stat(databasePath, &info) == 0, access(databasePath + "-journal", F_OK) != 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
            throw StoreError.cannotOpen(path: databasePath, reason: "it is \(what): name the database file itself")
        }
        guard info.st_size > 0, let file = fopen(databasePath, "rb") else { return }
        defer { fclose(file) }
        let header = Array("SQLite format 3\0".utf8)
        var read = [UInt8](repeating: 0, count: header.count)
        guard fread(&read, 1, read.count, file) == read.count, read == header else {
            throw StoreError.cannotOpen(path: databasePath, reason: "file is not a database (it does not begin with "
                                        + "SQLite's header)")
        }
    }

    /// `databasePath`, or the file it names if it is a symbolic link to one (`sharectl --db`, which
    /// only reads, follows such a link to the database and the journal beside it).
    public static func followingLink(_ databasePath: String) -> String {
        guard isLink(databasePath), let real = realpath(databasePath, nil) else { return databasePath }
        defer { free(real) }
        return String(cString: real)
    }

    private static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The files SQLite keeps beside a database at `path` and reads with it: its log, the log's
    /// index and a rollback journal.
    static func sqliteSideFiles(of path: String) -> [String] {
        ["-wal", "-shm", "-journal"].map { path + $0 }
    }

    /// The files beside a database at `databasePath` that SQLite or the daemon would read with it,
    /// of those that exist: its log and rollback journal (SQLite applies them to the file when it
    /// opens it), and the daemon's journal with its log (applied to the tables at a start).
    public static func companions(of databasePath: String) -> [String] {
        let journal = Journal.path(of: databasePath)
        return (sqliteSideFiles(of: databasePath) + [journal, journal + "-wal", journal + "-shm"])
            .filter { access($0, F_OK) == 0 }
    }

    /// Refuses to open a database whose `-wal` was not written for it: SQLite would apply that log
    /// to the file and corrupt it. A log that holds data belongs to the file the journal recorded
    /// at the last start (the database moved or copied over by another file has another inode),
    /// and never to a database that does not exist.
    public static func checkBeforeOpen(databasePath: String) throws {
        let wal = databasePath + "-wal"
        var info = stat()
        guard stat(wal, &info) == 0, info.st_size > 0 else { return }
        guard let database = identity(of: databasePath) else {
            throw StoreError.cannotOpen(path: databasePath, reason: "\(wal) holds data but the database file is "
                                        + "missing: it was removed; restore it (or a backup) and remove \(wal)")
        }
        guard let recorded = try Journal.recordedDatabase(databasePath: databasePath), recorded != database else { return }
        throw StoreError.cannotOpen(path: databasePath, reason: "\(wal) was written for another file than "
                                    + "\(databasePath) (the database was replaced or moved over): applying it would "
                                    + "corrupt the database. If the database file is the one you want, remove \(wal) "
                                    + "(its changes are lost); else put the original file back")
    }
}
