import Glibc
import ShareTrackCore

extension Store {
    /// Writes a consistent, self-contained copy of the database to `path`, which must not exist: the
    /// tables as they are (`VACUUM INTO`, one read transaction) plus `batches`, durable batches the
    /// tables do not hold yet, applied to the copy. The copy is one file (no `-wal`), usable as a
    /// daemon's `database` and by `sharectl --db`. Returns the generation it holds. (`visitorKey`
    /// is the daemon's: the copy has the current schema, so nothing is hashed with it.)
    ///
    /// It is written next to `path`, in a file of a name of its own (`mkstemp`: never one that is
    /// there already), and linked into place only when complete, so `path` is either absent or the
    /// whole backup; an existing file is never replaced.
    public func backup(to path: String, adding batches: [Batch], visitorKey: VisitorKey) throws -> UInt64 {
        Self.removeAbandonedPartials(of: path)
        var template = Array((path + Self.partialSuffix + "XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw StoreError.cannotWriteBackup(path: path, reason: String(cString: strerror(errno))) }
        // Held locked while it is written (`removeAbandonedPartials`); empty: `VACUUM INTO` writes
        // into an empty file as into a new one.
        flock(fd, LOCK_EX)
        defer { close(fd) }
        let partial = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A copy that failed half-way (a full disk) may have left its rollback journal or log too.
        defer { Self.removeWithSideFiles(partial) }
        let generation: UInt64
        do {
            let vacuum = try database.prepare("VACUUM INTO ?")
            try vacuum.bind(partial, at: 1)
            try vacuum.run()
            let copy = try Store(path: partial, visitorKey: visitorKey)
            for batch in batches { try copy.apply(batch) }
            try copy.database.execute("PRAGMA journal_mode = DELETE")
            generation = copy.generation
        } catch let error as SQLiteError {
            throw StoreError.cannotWriteBackup(path: path, reason: error.message)
        }
        chmod(partial, 0o640)
        guard link(partial, path) == 0 else {
            throw StoreError.cannotWriteBackup(path: path, reason: String(cString: strerror(errno)))
        }
        return generation
    }

    private static let partialSuffix = ".partial-"

    /// Removes the partial files that backups a killed daemon cut short left in the directory of
    /// `path` (each as large as its copy had grown, with its rollback journal), whatever their
    /// final name: `NAME.partial-` and the six letters and digits of `mkstemp`, a regular file,
    /// empty or a SQLite database, that no backup holds locked (`flock`) and no other process
    /// has open in a SQLite transaction (`heldBySQLite`).
    private static func removeAbandonedPartials(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            let letters = name.suffix(6), marker = name.dropLast(6).suffix(partialSuffix.utf8.count)
            guard name.count > 6 + partialSuffix.utf8.count, marker.elementsEqual(partialSuffix.utf8),
                  letters.allSatisfy({ $0 < 0x80 && isalnum(Int32($0)) != 0 })
            else { continue }
            let candidate = directory + "/" + String(decoding: name, as: UTF8.self)
            let fd = open(candidate, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = stat()
            var header = [UInt8](repeating: 0, count: 16)
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                  info.st_size == 0 || (read(fd, &header, 16) == 16 && header == Array("SQLite format 3\0".utf8)),
                  flock(fd, LOCK_EX | LOCK_NB) == 0,  // else a backup is writing it
                  !heldBySQLite(fd)
            else { continue }
            removeWithSideFiles(candidate)
        }
    }

    /// Removes the database file at `path` and the files SQLite keeps beside it.
    private static func removeWithSideFiles(_ path: String) {
        for file in [path] + DatabaseFiles.sqliteSideFiles(of: path) { unlink(file) }
    }

    /// Whether another process holds one of the locks SQLite takes on a database file (POSIX
    /// record locks on its lock bytes, at 1 GiB: SQLite's `PENDING_BYTE` and the 511 after it)
    /// while a connection reads or writes it.
    private static func heldBySQLite(_ fd: Int32) -> Bool {
        var lock = flock(l_type: Int16(F_WRLCK), l_whence: Int16(SEEK_SET), l_start: 0x4000_0000, l_len: 512, l_pid: 0)
        return fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != Int16(F_UNLCK)
    }
}
