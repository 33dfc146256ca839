import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// Erasures and retention in the store: what they delete is gone from the tables and the files.
@Suite struct ErasureTests {
    private func batch(_ generation: UInt64, _ build: (inout Batch) -> Void) -> Batch {
        var batch = Batch(generation: generation)
        build(&batch)
        batch.events = 1
        return batch
    }

    private func clicks(_ generation: UInt64, _ pairs: [(String, String, Int64)]) -> Batch {
        batch(generation) { batch in
            for (token, id, hour) in pairs {
                var click = Counters()
                click.clicks = 1
                click.uniqueClicks = 1
                batch.add(click, at: CounterKey(token: token, hour: hour))
                batch.add(VisitorPair(token: token, visitor: visitor(id), hour: hour))
            }
        }
    }

    @Test("forget: a visitor's pairs are deleted, an advocate renamed, counters kept, and no byte is left in a file")
    func erasure() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        try store.apply(batch(1) { batch in
            batch.add(ShareRecord(token: "t1", attributes: ShareAttributes(
                advocate: "advocate-to-forget", venue: "bar", campaign: nil, network: "x", followers: 5), tier: .nano, time: 0))
        })
        try store.apply(clicks(2, [("t1", "v1", 10), ("t2", "v1", 11), ("t1", "v2", 12)]))
        let removed = try store.apply(batch(3) { batch in
            batch.add(Erasure.visitor(hash: visitor("v1")))
            batch.add(Erasure.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab"))
        })
        #expect(removed == 2)
        try store.truncateLog()
        let database = store.database
        #expect(try VisitorHashes.stored(in: database).map(\.visitor) == [visitor("v2")])
        #expect(try database.prepare("SELECT advocate FROM shares").rows { $0.string(0) } == ["forgotten-0123456789ab"])
        #expect(try database.prepare("SELECT SUM(clicks), SUM(unique_clicks) FROM counters").rows { [$0.int64(0), $0.int64(1)] } == [[3, 3]])
        #expect(try filesHolding("advocate-to-forget", in: file.directory.path).isEmpty)
    }

    @Test("an erasure a crash left journaled finishes at the next start: the id is in no file")
    func erasureRecoveredAfterACrash() throws {
        let file = try TemporaryDatabase()
        do {
            let store = try Store(path: file.path, visitorKey: testKey)
            let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
            let share = batch(1) { batch in
                batch.add(ShareRecord(token: "t1", attributes: ShareAttributes(
                    advocate: "advocate-to-forget", venue: "bar", campaign: nil, network: "x", followers: 5), tier: .nano, time: 0))
            }
            try journal.append(share, forgettingThrough: 0)
            try store.apply(share)
            let erasure = batch(2) { $0.add(Erasure.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab")) }
            try journal.append(erasure, forgettingThrough: 1)
            // The crash: the erasure is journaled, not applied.
        }
        #expect(try !filesHolding("advocate-to-forget", in: file.directory.path).isEmpty)
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        // As the daemon does at start (`Daemon.init`): the journaled erasure is applied, the log truncated.
        let recovered = try #require(try journal.batch(after: store.generation))
        #expect(try journal.batch(after: recovered.generation) == nil)
        try store.apply(recovered)
        try store.truncateLog()
        try journal.scrub(through: store.generation)
        #expect(try store.database.prepare("SELECT advocate FROM shares").rows { $0.string(0) } == ["forgotten-0123456789ab"])
        #expect(try filesHolding("advocate-to-forget", in: file.directory.path).isEmpty)
    }

    @Test("retention deletes pairs of hours before the cut-off, in chunks, and returns them")
    func retention() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        try store.apply(clicks(1, [("t1", "a", 100), ("t1", "b", 101), ("t2", "c", 99), ("t2", "d", 102)]))
        let first = try store.deleteVisitors(before: 102, limit: 2)
        let second = try store.deleteVisitors(before: 102, limit: 2)
        let third = try store.deleteVisitors(before: 102, limit: 2)
        #expect(first.count == 2)
        #expect(second.count == 1)
        #expect(third.isEmpty)
        let deleted = Set((first + second).map { "\($0.token) \($0.visitor)" })
        #expect(deleted == Set([("t1", "a"), ("t1", "b"), ("t2", "c")].map { "\($0.0) \(visitor($0.1))" }))
        #expect(try VisitorHashes.stored(in: store.database).map(\.hour) == [102])
    }
}
