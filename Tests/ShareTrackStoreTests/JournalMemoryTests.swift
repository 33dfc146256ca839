import CSQLite
import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// A batch goes through the journal once, written and read back: its connections keep at most a
/// couple of its 64 KiB pages in memory, not SQLite's default 2,000 KiB of them.
@Suite struct JournalMemoryTests {
    /// A batch of `shares` new shares, a few MiB of effects.
    private static func batch(_ generation: UInt64, shares: Int) -> Batch {
        var batch = Batch(generation: generation)
        for index in 0..<shares {
            let attributes = ShareAttributes(advocate: "advocate-\(index)", venue: "venue-\(index % 50)",
                                             campaign: "campaign-\(index % 7)", network: "instagram", followers: 800)
            batch.add(ShareRecord(token: "token-\(generation)-\(index)", attributes: attributes, tier: .nano, time: 3_600))
        }
        batch.events = shares
        return batch
    }

    /// The bytes of page cache `database`'s connection holds.
    private static func cacheBytes(_ database: Database) -> Int32 {
        var current: Int32 = 0, highest: Int32 = 0
        sqlite3_db_status(database.handle, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0)
        return current
    }

    @Test func theJournalsConnectionsKeepAlmostNoPagesCached() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        let reader = try JournalReader(databasePath: file.path, visitorKey: testKey)
        let pages: Int32 = 3 * (65_536 + 1_024)
        for generation in UInt64(1)...3 {
            let batch = Self.batch(generation, shares: 40_000)
            #expect(batch.effects.bytes.count > 2 << 20)
            try journal.append(batch, forgettingThrough: generation - 1)
            #expect(Self.cacheBytes(journal.database) <= pages)
            let read = try reader.batches(after: generation - 1, maxRows: 1_000_000).batches
            #expect(read.map(\.shares.count) == [40_000])
            #expect(Self.cacheBytes(reader.database) <= pages)
        }
    }
}
