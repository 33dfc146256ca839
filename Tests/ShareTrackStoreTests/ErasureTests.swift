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

    /// A new database and its journal.
    private static func storeAndJournal() throws -> (TemporaryDatabase, Journal) {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        return (file, try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey))
    }

    private func clicks(_ generation: UInt64, _ pairs: [(String, String, Int64)]) -> Batch {
        batch(generation) { batch in
            for (token, id, hour) in pairs {
                var click = Counters()
                click.clicks = 1
                click.uniqueClicks = 1
                batch.add(click, at: CounterKey(token: token, hour: hour))
                batch.add(VisitorPair(token: token, visitor: visitor(id), time: hour * 3600))
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
            batch.add(SealedErasure(.visitor(hash: visitor("v1")), key: testKey))
            batch.add(SealedErasure(.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab"), key: testKey))
        })
        // The rows they changed: the visitor's two pairs, the advocate's one share.
        #expect(removed == 3)
        try store.truncateLog()
        let database = store.database
        #expect(try VisitorHashes.stored(in: database).map(\.visitor) == [visitor("v2")])
        #expect(try database.prepare("SELECT advocate FROM shares").rows { $0.string(0) } == ["forgotten-0123456789ab"])
        #expect(try database.prepare("SELECT SUM(clicks), SUM(unique_clicks) FROM counters").rows { [$0.int64(0), $0.int64(1)] } == [[3, 3]])
        #expect(try filesHolding("advocate-to-forget", in: file.directory.path).isEmpty)
    }

    @Test("forget --visitor: a token the engine loads from the tables before they hold the erasure leaves the visitor out, so its next click is a first visit")
    func tokenLoadedBeforeTheErasureIsApplied() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        // t3 has more visitors than a state loads (those past them are looked up one by one).
        try store.apply(clicks(1, [("t1", "v1", 10), ("t2", "v1", 10), ("t2", "v2", 10)]
                                  + (0..<300).map { ("t3", "w\($0)", 10) } + [("t3", "v1", 10)]))
        // A new engine (as after a restart): nothing cached, the tables hold v1's pairs.
        var engine = Engine(configuration: .init(), committedGeneration: store.generation)
        let reader = try TokenReader(path: file.path)
        let generation = engine.erase(SealedErasure(.visitor(hash: visitor("v1")), key: testKey))
        let hour: Int64 = 11
        for token in ["t1", "t2", "t3"] {
            let click = Event(token: token, kind: .click(visitor: visitor("v1"), bot: false), time: hour * 3600)
            _ = engine.apply(click, now: hour * 3600, reader: reader)
        }
        // Loaded while the tables still held v1: a first visit on each, and on t2 v2 is still known.
        for token in ["t1", "t2", "t3"] {
            #expect(engine.pending.counters[CounterKey(token: token, hour: hour)]?.uniqueClicks == 1, "\(token)")
        }
        let v2 = Event(token: "t2", kind: .click(visitor: visitor("v2"), bot: false), time: hour * 3600)
        _ = engine.apply(v2, now: hour * 3600, reader: reader)
        #expect(engine.pending.counters[CounterKey(token: "t2", hour: hour)]?.uniqueClicks == 1)
        #expect(generation != nil && engine.erasedVisitors == [visitor("v1"): generation ?? 0])
        // Once the tables hold the erasure, nothing is left out any more.
        let flushed = engine.beginFlush()
        let erasure = try #require(flushed)
        #expect(erasure.generation == generation)
        try store.apply(erasure)
        engine.finishFlush(erasure.generation)
        engine.finishApply(erasure.generation)
        #expect(engine.erasedVisitors.isEmpty)
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
            let erasure = batch(2) { $0.add(SealedErasure(.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab"), key: testKey)) }
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

    @Test("an erasure whose batches wait to be shipped rewrites them: the id in no file, the rest as it was")
    func erasureOfUnshippedBatches() throws {
        let (file, journal) = try Self.storeAndJournal()
        let share = { (generation: UInt64, token: String, advocate: String) in
            self.batch(generation) { batch in
                batch.add(ShareRecord(token: token, attributes: ShareAttributes(
                    advocate: advocate, venue: "bar", campaign: nil, network: "x", followers: 5), tier: .nano, time: 0))
            }
        }
        // 1 is shipped; 2-4 wait (the tables hold them); 5 is the erasure; 6 came after it.
        let batches = [share(1, "t1", "advocate-to-forget"), share(2, "t2", "advocate-to-forget"),
                       clicks(3, [("t2", "visitor-to-forget", 10), ("t2", "v2", 10)]), share(4, "t4", "someone"),
                       batch(5) { $0.add(SealedErasure(.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab"), key: testKey)) },
                       share(6, "t6", "advocate-to-forget")]
        for batch in batches { try journal.append(batch, forgettingThrough: 0) }
        let holding = try filesHolding("advocate-to-forget", in: file.directory.path)
        #expect(!holding.isEmpty && holding.allSatisfy { $0.hasPrefix("sharetrack.db.journal") }, "\(holding)")

        try journal.erase(.advocate(id: "advocate-to-forget", pseudonym: "forgotten-0123456789ab"), before: 5, scrubbingThrough: 1)
        let kept = try journal.batches()
        #expect(kept.map(\.generation) == [2, 3, 4, 5, 6])
        #expect(kept.flatMap(\.shares).map(\.attributes.advocate) == ["forgotten-0123456789ab", "someone", "advocate-to-forget"])
        #expect(kept[1].counters == batches[2].counters && kept[1].visitors == batches[2].visitors)
        #expect(kept[3].erasures == batches[4].erasures)

        // Later data of the same id is new data; before that batch, nothing of it is in a file.
        try journal.erase(.visitor(hash: visitor("visitor-to-forget")), before: 6, scrubbingThrough: 1)
        // Its pairs stay, sealed (the store needs them to count exactly).
        #expect(try journal.batches()[1].visitors.map(\.visitor) == [visitor("visitor-to-forget"), visitor("v2")])
        #expect(try journal.batches()[1].counters == batches[2].counters)
        let hash = withUnsafeBytes(of: visitor("visitor-to-forget").littleEndian) { Array($0) }
        #expect(try filesHolding(hash, in: file.directory.path).isEmpty)
        try journal.erase(.advocate(id: "advocate-to-forget", pseudonym: "forgotten-000000000001"), before: 7, scrubbingThrough: 1)
        #expect(try filesHolding("advocate-to-forget", in: file.directory.path).isEmpty)
    }

    @Test("retention in the journal: the pairs before the cut-off leave the batches the tables hold and the store not yet")
    func retentionOfUnshippedBatches() throws {
        let (file, journal) = try Self.storeAndJournal()
        // Hours 10 and 20 in each: 1 is shipped, 2-3 wait, 4 is not applied yet. Batches of
        // 100 KB and more, whose records span pages of their own (overflow pages).
        let crowd = (0..<8000).map { ("crowd", "crowd-\($0)", Int64(30)) }
        let batches = (1...4).map { clicks(UInt64($0), [("t\($0)", "old-\($0)", 10), ("t\($0)", "new-\($0)", 20)] + crowd) }
        for batch in batches { try journal.append(batch, forgettingThrough: 0) }
        try journal.expireVisitors(before: 15 * 3600, after: 1, through: 3)
        let kept = try journal.batches()
        #expect(kept.map { Array($0.visitors.prefix(2).map(\.visitor)) } == [
            [visitor("old-1"), visitor("new-1")], [visitor("new-2"), visitor("crowd-0")], [visitor("new-3"), visitor("crowd-0")],
            [visitor("old-4"), visitor("new-4")],
        ])
        #expect(kept.map(\.counters) == batches.map(\.counters))
        for id in ["old-2", "old-3"] {
            let hash = withUnsafeBytes(of: visitor(id).littleEndian) { Array($0) }
            #expect(try filesHolding(hash, in: file.directory.path).isEmpty, "\(id)")
        }
        // A later cut-off takes the rest of those batches' pairs, and none of the others'.
        try journal.expireVisitors(before: 21 * 3600, after: 1, through: 3)
        #expect(try journal.batches().map(\.visitors.count) == [8002, 8000, 8000, 8002])
    }

    @Test("the journal's batches done with are deleted with their bytes overwritten, also after a retention rewrite")
    func doneBatchesOverwritten() throws {
        let (file, journal) = try Self.storeAndJournal()
        try journal.append(clicks(1, [("t1", "old-1", 10)]), forgettingThrough: 0)
        try journal.expireVisitors(before: 15 * 3600, after: 0, through: 1)
        try journal.append(clicks(2, [("t2", "done-2", 20)]), forgettingThrough: 0)
        let hash = withUnsafeBytes(of: visitor("done-2").littleEndian) { Array($0) }
        #expect(try filesHolding(hash, in: file.directory.path) != [])
        try journal.forget(through: 2)
        try journal.database.truncateLog()
        #expect(try filesHolding(hash, in: file.directory.path) == [])
    }

    @Test("retention deletes pairs of hours before the cut-off, in chunks, and returns them")
    func retention() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        try store.apply(clicks(1, [("t1", "a", 100), ("t1", "b", 101), ("t2", "c", 99), ("t2", "d", 102)]))
        let first = try store.deleteVisitors(before: 102 * 3600, limit: 2)
        let second = try store.deleteVisitors(before: 102 * 3600, limit: 2)
        let third = try store.deleteVisitors(before: 102 * 3600, limit: 2)
        #expect(first.count == 2)
        #expect(second.count == 1)
        #expect(third.isEmpty)
        let deleted = Set((first + second).map { "\($0.token) \($0.visitor)" })
        #expect(deleted == Set([("t1", "a"), ("t1", "b"), ("t2", "c")].map { "\($0.0) \(visitor($0.1))" }))
        #expect(try VisitorHashes.stored(in: store.database).map(\.hour) == [102])
    }

    @Test("retention in the cut-off's own hour goes to the second: row by row in token order, and apart; a pair stored with its hour only is its hour's last second")
    func retentionToTheSecond() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let hour: Int64 = 100
        let clicks: [(token: String, id: String, second: Int64, apart: Bool)] = [
            ("t1", "a", 600, false), ("t1", "b", 3000, false), ("t2", "c", 1800, false), ("t3", "d", 600, false),
            ("t3", "e", 1799, false), ("t4", "f", 900, true), ("t4", "g", 2700, true), ("t5", "h", 10, false),
        ]
        try store.apply(batch(1) { batch in
            for click in clicks {
                var delta = Counters()
                delta.clicks = 1
                delta.uniqueClicks = 1
                batch.add(delta, at: CounterKey(token: click.token, hour: hour))
                batch.add(VisitorPair(token: click.token, visitor: visitor(click.id), time: hour * 3600 + click.second,
                                      apart: click.apart))
            }
        })
        // t5's row as a database before version 19 left it: its hash without a time.
        try store.database.execute("UPDATE counters SET visitor_times = NULL WHERE token = 't5'")
        func ids(_ removed: [(token: String, visitor: UInt64)]) -> [String] {
            removed.map { pair in "\(pair.token) \(clicks.first { visitor($0.id) == pair.visitor }!.id)" }.sorted()
        }
        // Clicks before :30:00 have come of age; t2's at :30:00 exactly has not.
        let cutoff = hour * 3600 + 1800
        #expect(ids(try store.deleteVisitors(before: cutoff, limit: 10)) == ["t4 f"])
        let first = try store.deleteVisitors(before: cutoff, inItsHourAfter: "", limit: 2)
        #expect(ids(first.removed) == ["t1 a"] && first.last == "t2")
        let second = try store.deleteVisitors(before: cutoff, inItsHourAfter: "t2", limit: 2)
        #expect(ids(second.removed) == ["t3 d", "t3 e"] && second.last == "t5")
        let third = try store.deleteVisitors(before: cutoff, inItsHourAfter: "t5", limit: 2)
        #expect(third.removed.isEmpty && third.last == nil)
        let kept = try VisitorHashes.stored(in: store.database).map { "\($0.token) \($0.time - hour * 3600)" }
        #expect(kept == ["t1 3000", "t2 1800", "t5 3599", "t4 2700"])
        // The hour's last second: t5's pair goes once the whole hour is older, with the earlier hours'.
        let beforeLast = try store.deleteVisitors(before: hour * 3600 + 3599, inItsHourAfter: "", limit: 10)
        #expect(ids(beforeLast.removed) == ["t1 b", "t2 c"])
        #expect(ids(try store.deleteVisitors(before: hour * 3600 + 3600, limit: 10)) == ["t4 g", "t5 h"])
        #expect(try VisitorHashes.stored(in: store.database).isEmpty)
    }
}
