import CSQLite
import Glibc

/// One SQLite connection. Not thread-safe by itself: each owner keeps it behind a `Mutex` or on
/// one queue.
public final class Database {
    public enum Mode: Sendable {
        case readWrite
        case readOnly
        /// Read-only, taking the file not to change while it is open: no locks and no WAL index,
        /// so it opens where `readOnly` cannot (a WAL database in a directory this process cannot
        /// write). Only for a database no one is writing.
        case immutable
    }

    let handle: OpaquePointer
    public let path: String
    /// As last set by `setBusyTimeout(milliseconds:)`.
    private var busyTimeout: Int32 = 0

    /// Turns SQLite's memory statistics off (`csqlite_disable_memory_statistics`) before the
    /// process's first connection opens.
    private static let configured: Void = { _ = csqlite_disable_memory_statistics() }()

    /// Opens (and, read-write, creates) the database at `path`.
    public init(path: String, mode: Mode) throws(SQLiteError) {
        Self.configured
        var handle: OpaquePointer?
        let (name, flags) = switch mode {
        case .readWrite: (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        case .readOnly: (path, SQLITE_OPEN_READONLY)
        case .immutable: (Self.uri(path) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI)
        }
        let status = sqlite3_open_v2(name, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let error = SQLiteError(code: status, connection: handle)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil))
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Copies what the write-ahead log holds into the database file, as far as readers allow
    /// (a passive checkpoint: it never waits, and a failure only leaves the log longer).
    ///
    /// The log starts again from its beginning only when a write finds no reader using it; with
    /// queries answered back to back there nearly always is one, and the log (which every read
    /// searches) would grow without end. So once it holds more than `restartFrames` pages, the
    /// checkpoint also waits for the readers of older content to finish, so that the next write
    /// restarts it: up to `restartWait` milliseconds (more than the writer's usual busy timeout,
    /// which an answer over millions of shares outlasts; a log that is not restarted makes every
    /// later answer slower, and so ever less likely to finish in time).
    public func checkpoint() {
        guard let passive = try? prepare("PRAGMA wal_checkpoint(PASSIVE)"),
              let frames = try? passive.rows({ $0.int64(1) }).first, frames > Self.restartFrames
        else { return }
        sqlite3_busy_timeout(handle, max(busyTimeout, Self.restartWait))
        defer { sqlite3_busy_timeout(handle, busyTimeout) }
        try? execute("PRAGMA wal_checkpoint(RESTART);")
    }

    /// 64 MiB of 4 KiB pages.
    static let restartFrames: Int64 = 16_384
    static let restartWait: Int32 = 1_000
    /// Milliseconds a reader waits for another connection's lock (`forReading`).
    static let readerWait: Int32 = 1_000

    /// Copies the whole write-ahead log into the database and truncates it to zero bytes, waiting
    /// (`attempts` 20 ms apart: 4 seconds at most by default) for readers that still use older
    /// content of the log.
    public func truncateLog(attempts: Int = 200) throws {
        let checkpoint = try prepare("PRAGMA wal_checkpoint(TRUNCATE)")
        for _ in 0..<attempts {
            // One row: busy (1 if it could not finish), log frames, frames checkpointed.
            let busy = try checkpoint.rows { $0.int64(0) }.first ?? 0
            if busy == 0 { return }
            usleep(20_000)
        }
        throw SQLiteError(code: SQLITE_BUSY, message: "readers kept the write-ahead log of \(path) from being emptied")
    }

    /// Rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Milliseconds a statement waits for another connection's lock before it fails as busy.
    public func setBusyTimeout(milliseconds: Int32) {
        busyTimeout = milliseconds
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// `path` as a `file:` URI: `%`, `?`, `#` and non-ASCII bytes percent-encoded.
    private static func uri(_ path: String) -> String {
        "file:" + path.utf8.map { byte in
            byte < 0x80 && !"%?#".utf8.contains(byte)
                ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }

    func check(_ status: Int32) throws(SQLiteError) {
        guard status == SQLITE_OK || status == SQLITE_ROW || status == SQLITE_DONE else {
            throw SQLiteError(code: status, connection: handle)
        }
    }
}

extension Database {
    /// Opens `path` read-only for a reader that may not be able to write its directory.
    ///
    /// A WAL database needs its WAL index (`-shm`) even to be read. Where this process cannot create
    /// it, and no writer has the file open, the database is opened immutable instead, unless its
    /// write-ahead log holds data (which immutable mode would not see).
    ///
    /// A reader waits up to `readerWait` for another connection's lock, from its first statement
    /// on: several `sharectl --db` started at once on a stopped daemon's database find one of them
    /// rebuilding the WAL index (an outside audit saw 3 of 160 fail "database is locked").
    static func forReading(_ path: String) throws -> Database {
        do {
            let database = try Database(path: path, mode: .readOnly)
            database.setBusyTimeout(milliseconds: readerWait)
            try database.execute("SELECT 1 FROM sqlite_master LIMIT 1")
            return database
        } catch {
            guard [SQLITE_READONLY, SQLITE_CANTOPEN].contains(error.code & 0xff) else { throw error }
            var wal = stat()
            guard stat(path + "-wal", &wal) != 0 || wal.st_size == 0 else {
                throw StoreError.cannotOpen(path: path, reason: "\(error.message); \(path)-wal holds data, and "
                                            + "reading it needs a WAL index (-shm) this user cannot create")
            }
            return try Database(path: path, mode: .immutable)
        }
    }
}
