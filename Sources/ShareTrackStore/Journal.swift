import CSQLite
import Glibc
import ShareTrackCore

/// Batches made durable but not yet applied to the database's tables, in a SQLite file of their own
/// next to the database (`<database>.journal`).
///
/// An `ack: commit` answer waits for `append(_:forgettingThrough:)` only: one row, the batch as two
/// blobs (`BatchCodec`; the batch encoded its effects as it filled), in a short transaction. Applying the batch to the tables (`Store.apply`)
/// comes afterwards and can take its time, and because the journal is another file, its writer
/// never waits for the database's. The store records the generation it has applied in the same
/// transaction as the rows, so a batch is applied exactly once: a journal row at or below that
/// generation is done with, and is deleted by a later append. With a shared store, a row is done
/// with once it is shipped too: the daemon passes the lower of the two generations.
///
/// `summary` holds each batch's event count and commit time beside it, so that the shared store's
/// backlog (`JournalReader.backlog`) is a small range scan, not a read of the batches; the time of
/// its oldest visitor pair, so that `visitor_retention` finds the batches it must rewrite
/// (`Journal+Rewrite`) without reading the others; how many erasures it carries, which a start
/// carries out again on the batches before them (`redoErasures`); and the visitor key it was
/// hashed with (`JournalReader`).
///
/// At start the daemon applies what a crash left in the journal before anything else. Readers
/// (`Queries` offline) read it first and then the database, and count the journal's batches the
/// tables do not hold yet.
public final class Journal {
    public let database: Database
    private let insert: Statement
    private let insertSummary: Statement
    private let forget: Statement
    let visitorKey: VisitorKey
    private let forgetSummary: Statement

    public static func path(of databasePath: String) -> String { databasePath + ".journal" }

    /// The page cache of a connection to the journal, in pages: a batch is written once and read
    /// back once (shipped, or applied after a crash), so a cache would only hold memory. SQLite's
    /// default (2,000 KiB) with its first 20 pages allocated in one block held 1.3-2 MiB of 64 KiB
    /// pages for the daemon's life; below 3 pages SQLite allocates no such block, and pages come
    /// and go one at a time (docs/benchmarks.md, session 70).
    static let cachedPages = 2

    /// Opens (or creates) the journal of the database at `databasePath`, whose `Store.id` is
    /// `databaseID`. What a crash left in it is in `batches()`, to apply before anything else.
    ///
    /// `visitorKey` hashes the visitor ids of batches the first release journaled (`BatchCodec`).
    public init(databasePath: String, databaseID: Int64, visitorKey: VisitorKey) throws {
        self.visitorKey = visitorKey
        let path = Self.path(of: databasePath)
        do {
            database = try Database(path: path, mode: .readWrite)
            // Large pages: a batch is megabytes written once and read back only after a crash, and
            // a WAL frame per 64 KiB instead of per 4 KiB means far fewer writes to commit it.
            // `secure_delete`: a batch deleted once done with, or rewritten (`forget`, retention), is
            // overwritten with zeros, whatever the SQLite build's default (Debian's is on; measured
            // against off in `make bench`, no cost seen: docs/benchmarks.md).
            try database.execute("""
                PRAGMA page_size = 65536; PRAGMA cache_size = \(Self.cachedPages);
                PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;
                PRAGMA secure_delete = ON;
                CREATE TABLE IF NOT EXISTS journal (
                    generation INTEGER PRIMARY KEY, header BLOB NOT NULL, effects BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS summary (
                    generation INTEGER PRIMARY KEY, events INTEGER NOT NULL, time INTEGER NOT NULL);
                """)
            // The time of the oldest visitor pair of each batch, how many erasures it carries
            // (`Journal+Rewrite`), and the visitor key its hashes are made with (`JournalReader`);
            // a journal of an earlier version has them for no row (null: not known).
            for column in ["oldest_pair", "erasures", "visitor_key"]
            where try !database.prepare("SELECT 1 FROM pragma_table_info('summary') WHERE name = '\(column)'").hasRow() {
                try database.execute("ALTER TABLE summary ADD COLUMN \(column) INTEGER")
            }
            database.setBusyTimeout(milliseconds: 100)
            let claim = try database.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?)")
            try claim.bind([.integer(databaseID)])
            try claim.run()
            // Which file the database's -wal belongs to (`DatabaseFiles.checkBeforeOpen`).
            if let file = DatabaseFiles.identity(of: databasePath) {
                let record = try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
                for (key, value) in [("database_device", file.device), ("database_inode", file.inode)] {
                    try record.bind([.text(key), .integer(value)])
                    try record.run()
                }
            }
            insert = try database.prepare("INSERT INTO journal (generation, header, effects) VALUES (?, ?, ?)")
            insertSummary = try database.prepare(
                "INSERT INTO summary (generation, events, time, oldest_pair, erasures, visitor_key) VALUES (?, ?, ?, ?, ?, ?)")
            forget = try database.prepare("DELETE FROM journal WHERE generation <= ?")
            forgetSummary = try database.prepare("DELETE FROM summary WHERE generation <= ?")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
        guard try Store.meta("database_id", database) == databaseID else {
            // An empty journal (a clean stop leaves it so) can serve a new database; one with batches
            // in it must not be applied to a database that is not the one it was written for.
            guard try database.prepare("SELECT 1 FROM journal LIMIT 1").rows({ _ in () }).isEmpty else {
                throw StoreError.cannotOpen(path: path, reason: "it holds batches of another database; if "
                                            + "\(databasePath) was replaced on purpose, remove \(path)")
            }
            try database.execute("UPDATE meta SET value = \(databaseID) WHERE key = 'database_id'")
            return
        }
    }

    /// The batches the journal holds, oldest first.
    public func batches() throws -> [Batch] {
        var batches: [Batch] = []
        while let batch = try batch(after: batches.last?.generation ?? 0) { batches.append(batch) }
        return batches
    }

    /// The first batch the journal holds after `generation`; nil if none.
    public func batch(after generation: UInt64) throws -> Batch? {
        do {
            let statement = try database.prepare(
                "SELECT header, effects FROM journal WHERE generation > ? ORDER BY generation LIMIT 1")
            try statement.bind([.integer(Int64(generation))])
            return try statement.rows {
                try BatchCodec.decode(header: $0.blob(0), effects: $0.blob(1), visitorKey: visitorKey)
            }.first
        } catch {
            throw StoreError.cannotOpen(path: database.path, reason: "cannot read the journal: \(error)")
        }
    }

    /// Makes `batch` durable, and deletes the rows of the batches that are done with (through `done`).
    public func append(_ batch: Batch, forgettingThrough done: UInt64) throws {
        let header = BatchCodec.header(batch)
        try database.transaction {
            try header.withUnsafeBytes { header in
                try batch.effects.bytes.withUnsafeBytes { effects in
                    try insert.bind(Int64(batch.generation), at: 1)
                    try insert.bindUnowned(blob: header, at: 2)
                    try insert.bindUnowned(blob: effects, at: 3)
                    try insert.run()
                }
            }
            try insertSummary.bind([.integer(Int64(batch.generation)), .integer(Int64(batch.events)), .integer(Int64(Glibc.time(nil))),
                                    .integer(Self.oldestPair(of: batch)), .integer(Int64(batch.erasures.count)),
                                    .integer(visitorKey.fingerprintBits)])
            try insertSummary.run()
            try forget(through: done)
        }
    }

    /// This journal made anew at its path, holding `batches` (kept `withoutEffects`): for when its files were removed or
    /// replaced under the daemon while the database's were not, so that the batches acknowledged
    /// but not applied yet are not lost with them (the next start applies them). Whatever is at
    /// the path now goes.
    public func recreated(holding batches: [Batch]) throws -> Journal {
        let path = database.path
        let databaseID = try Store.meta("database_id", database)
        for file in [path, path + "-wal", path + "-shm"] { unlink(file) }
        let journal = try Journal(databasePath: String(path.dropLast(".journal".count)), databaseID: databaseID,
                                  visitorKey: visitorKey)
        for batch in batches { try journal.append(batch.encodedAgain(sealingWith: visitorKey), forgettingThrough: 0) }
        return journal
    }

    /// Free pages from which a file that holds little else is rebuilt (`compactIfMostlyFree`): 64 MiB.
    public static let compactionFreePages: Int64 = 1024
    /// The most pages in use that a rebuild copies (32 MiB: a batch or two; a flush waits for it).
    public static let compactionUsedPages: Int64 = 512

    /// Rebuilds the file (`VACUUM`) once at least `freePages` of its pages, and four fifths of
    /// them, are free, and at most `usedPages` are not: a backlog (the shared store away, the
    /// apply failing) grows the file, and once it is shipped and applied its pages stay the
    /// file's, reused by later batches but never given back. The rebuild copies the pages in use
    /// while a flush waits, so it waits until few are (the end of a backlog being shipped). The
    /// file shrinks at the checkpoint right after, which also empties the log (which deleting the
    /// backlog's rows filled with their pages zeroed, SQLite's `secure_delete`) unless a reader
    /// keeps it for longer than a few tries. Returns the file's size in bytes before and after, or
    /// nil if it was not rebuilt.
    public func compactIfMostlyFree(freePages: Int64 = compactionFreePages, usedPages: Int64 = compactionUsedPages) throws
        -> (before: Int64, after: Int64)?
    {
        let pragma = { (name: String) in try self.database.prepare("PRAGMA \(name)").rows { $0.int64(0) }.first ?? 0 }
        let (pages, free, pageSize) = (try pragma("page_count"), try pragma("freelist_count"), try pragma("page_size"))
        guard free >= freePages, free * 5 >= pages * 4, pages - free <= usedPages else { return nil }
        try database.execute("VACUUM")
        if (try? database.truncateLog(attempts: 5)) == nil { database.checkpoint() }
        return (pages * pageSize, try pragma("page_count") * pageSize)
    }

    /// Deletes the batches that are done with (through `generation`).
    public func forget(through generation: UInt64) throws {
        try forget.bind([.integer(Int64(generation))])
        try forget.run()
        try forgetSummary.bind([.integer(Int64(generation))])
        try forgetSummary.run()
    }

    /// The device and inode of the database file that the journal of `databasePath` recorded at the
    /// daemon's last start; `nil` if there is no journal or it recorded none.
    static func recordedDatabase(databasePath: String) throws -> (device: Int64, inode: Int64)? {
        let path = path(of: databasePath)
        guard access(path, F_OK) == 0 else { return nil }
        let journal = try Database.forReading(path)
        let device = try journal.prepare("SELECT value FROM meta WHERE key = 'database_device'").rows { $0.int64(0) }
        let inode = try journal.prepare("SELECT value FROM meta WHERE key = 'database_inode'").rows { $0.int64(0) }
        guard let device = device.first, let inode = inode.first else { return nil }
        return (device, inode)
    }

    /// The batches in the journal at `path` after `generation`, oldest first; none if there is no
    /// journal file.
    static func batches(atPath path: String, after generation: UInt64) throws -> [Batch] {
        guard access(path, F_OK) == 0 else { return [] }
        let statement = try Database.forReading(path).prepare(
            "SELECT header, effects FROM journal WHERE generation > ? ORDER BY generation")
        try statement.bind([.integer(Int64(generation))])
        return try statement.rows { try BatchCodec.decode(header: $0.blob(0), effects: $0.blob(1)) }
    }

    /// Deletes the batches the tables hold (through `generation`), rebuilds the file (`VACUUM`) and
    /// truncates its write-ahead log: what those batches held (a forgotten id) is then in no file.
    public func scrub(through generation: UInt64) throws {
        try forget(through: generation)
        try database.execute("VACUUM")
        try database.truncateLog()
    }
}
