import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The apply stages each batch's rows in TEMP tables held in memory; emptied after the batch, they
/// give their pages back rather than keep the largest batch's for the daemon's whole life.
@Suite struct StagingMemoryTests {
    /// A batch of `shares` new shares, each of an advocate of its own (a share group of its own, for
    /// `GroupNumbers` to stage), each with a counter row.
    private static func batch(_ generation: UInt64, shares: Int) -> Batch {
        var batch = Batch(generation: generation)
        for index in 0..<shares {
            let token = "token-\(generation)-\(index)"
            let attributes = ShareAttributes(advocate: "a\(generation)-\(index)", venue: "v1", campaign: nil,
                                             network: "instagram", followers: 800)
            batch.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: 3_600))
            var counters = Counters()
            counters.shares = 1
            counters.clicks = Int64(index % 7)
            batch.add(counters, at: CounterKey(token: token, hour: 1))
        }
        return batch
    }

    @Test func theStagingTablesKeepNoPagesAfterABatch() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        func tempPages() throws -> Int64 {
            try store.database.prepare("PRAGMA temp.page_count").rows { $0.int64(0) }.first ?? -1
        }
        try store.apply(Self.batch(1, shares: 1))
        let small = try tempPages()
        try store.apply(Self.batch(2, shares: 5_000))
        #expect(try store.database.prepare("SELECT count(*) FROM shares").rows { $0.int64(0) } == [5_001])
        let large = try tempPages()
        #expect(large == small)
    }
}
