import CSQLite
import Testing

@testable import ShareTrackStore

struct DatabaseTests {
    /// With its memory statistics on, SQLite takes a process-wide mutex around every allocation of
    /// every connection; `Database` turns them off before the first connection opens, and then
    /// SQLite counts no memory at all (with them on, a connection and a table take kilobytes).
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let file = try TemporaryDatabase()
        let database = try Database(path: file.path, mode: .readWrite)
        try database.execute("CREATE TABLE t (x TEXT); INSERT INTO t VALUES (hex(randomblob(4096)));")
        #expect(sqlite3_memory_used() == 0)
        #expect(sqlite3_memory_highwater(0) == 0)
    }
}
