import Foundation
import ShareTrackCore
import Synchronization
import Testing

@testable import ShareTrackStore

/// A reader (`Queries`, `sharectl --db`) that opens the database while another connection holds
/// it locked, as one rebuilding the WAL index does when several readers start at once on a
/// stopped daemon's database, waits for the lock from its first statement on instead of failing
/// "database is locked".
@Suite struct ReaderWaitTests {
    private final class Outcome: Sendable {
        let error = Mutex<String?>("not opened")
    }

    @Test func aReaderOpeningALockedDatabaseWaitsForIt() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: RollupTests.batches(seed: 1, count: 2))
        var holder: Database? = try Database(path: database.path, mode: .readWrite)
        try holder?.execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM meta WHERE key = 'none';")
        let (path, outcome, opened) = (database.path, Outcome(), DispatchSemaphore(value: 0))
        DispatchQueue.global().async {
            do {
                _ = try Queries(path: path)
                outcome.error.withLock { $0 = nil }
            } catch {
                outcome.error.withLock { $0 = "\(error)" }
            }
            opened.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)  // a third of the reader's wait
        try holder?.execute("COMMIT")
        holder = nil  // closed: its lock released
        opened.wait()
        #expect(outcome.error.withLock { $0 } == nil)
    }
}
