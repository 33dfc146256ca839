import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The visitor pairs in their counter rows, and a hot token's apart (schema version 10): written
/// with the counters, read on a cache miss, erased, expired, and migrated from version 9.
@Suite struct VisitorColumnTests {
    private func clicks(_ generation: UInt64, _ pairs: [(token: String, id: String, hour: Int64)]) -> Batch {
        var batch = Batch(generation: generation)
        for pair in pairs {
            var click = Counters()
            click.clicks = 1
            click.uniqueClicks = 1
            batch.add(click, at: CounterKey(token: pair.token, hour: pair.hour))
            batch.add(VisitorPair(token: pair.token, visitor: visitor(pair.id), time: pair.hour * 3600 + 60))
        }
        batch.events = pairs.count
        return batch
    }

    @Test("each counter row holds the visitors of its hour, across batches; rows without any hold NULL")
    func pairsGoToTheirCounterRows() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        try store.apply(clicks(1, [("t1", "a", 10), ("t1", "b", 10), ("t2", "a", 11)]))
        var repeated = Batch(generation: 2)
        var click = Counters()
        click.clicks = 1
        repeated.add(click, at: CounterKey(token: "t1", hour: 12))
        repeated.events = 1
        try store.apply(repeated)
        try store.apply(clicks(3, [("t1", "c", 10)]))
        let stored = try VisitorHashes.stored(in: store.database).map { "\($0.token) \($0.hour) \($0.visitor)" }
        #expect(stored == ["t1 10 \(visitor("a"))", "t1 10 \(visitor("b"))", "t1 10 \(visitor("c"))", "t2 11 \(visitor("a"))"])
        let nulls = try store.database.prepare("SELECT hour FROM counters WHERE visitors IS NULL").rows { $0.int64(0) }
        #expect(nulls == [12])
        #expect(try store.database.prepare("SELECT count(*) FROM visitors").rows { $0.int64(0) } == [0])
    }

    @Test("a token's first visitors are kept in its counter rows, the rest apart; a cache miss reads both")
    func aHotTokenKeepsItsLaterVisitorsApart() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        var engine = Engine(configuration: .init(), committedGeneration: store.generation)
        let reader = try TokenReader(path: file.path)
        func click(_ token: String, _ id: String, hour: Int64, on engine: inout Engine, _ reader: TokenReader) {
            let event = Event(token: token, kind: .click(visitor: visitor(id), bot: false), time: hour * 3600)
            _ = engine.apply(event, now: hour * 3600, reader: reader)
        }
        let hot = TokenState.visitorsInRows + 10
        for index in 0..<hot { click("hot", "v\(index)", hour: Int64(100 + index % 3), on: &engine, reader) }
        click("cold", "x", hour: 5, on: &engine, reader)
        click("cold", "y", hour: 6, on: &engine, reader)
        let batch = engine.beginFlush()
        try store.apply(try #require(batch))
        let stored = try VisitorHashes.stored(in: store.database).filter { $0.token == "hot" }
        #expect(stored.filter { !$0.apart }.count == TokenState.visitorsInRows)
        #expect(Set(stored.filter(\.apart).map(\.visitor)) == Set((TokenState.visitorsInRows..<hot).map { visitor("v\($0)") }))

        // A fresh start: every state is read again.
        let fresh = try TokenReader(path: file.path)
        #expect(try fresh.token("cold").visitorsComplete)
        #expect(try !fresh.token("hot").visitorsComplete)
        for index in [0, 100, TokenState.visitorsInRows - 1, hot - 1] {
            #expect(try fresh.hasVisitor(visitor("v\(index)"), of: "hot"), "v\(index)")
        }
        #expect(try !fresh.hasVisitor(visitor("v-new"), of: "hot"))
        #expect(try !fresh.hasVisitor(visitor("x"), of: "hot"))
        var restarted = Engine(configuration: .init(), committedGeneration: store.generation)
        for id in ["x", "y", "z"] { click("cold", id, hour: 7, on: &restarted, fresh) }
        for id in ["v3", "v\(hot - 2)", "v-new"] { click("hot", id, hour: 7, on: &restarted, fresh) }
        #expect(restarted.pending.counters[CounterKey(token: "cold", hour: 7)]?.uniqueClicks == 1)
        #expect(restarted.pending.counters[CounterKey(token: "hot", hour: 7)]?.uniqueClicks == 1)
        #expect(restarted.pending.visitors.map { "\($0.token) \($0.apart)" } == ["cold false", "hot true"])
    }

    @Test("forget removes a hash from the rows where one starts (its 8 bytes across two stored hashes stay) and apart")
    func erasureMatchesWholeHashesOnly() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        var batch = Batch(generation: 1)
        var click = Counters()
        click.clicks = 2
        batch.add(click, at: CounterKey(token: "t", hour: 1))
        batch.add(VisitorPair(token: "t", visitor: 0xBBBB_BBBB_0000_0000, time: 3601))
        batch.add(VisitorPair(token: "t", visitor: 0x0000_0000_AAAA_AAAA, time: 3600))
        batch.add(VisitorPair(token: "t", visitor: 0xBBBB_BBBB_0000_0000, time: 3602, apart: true))
        batch.events = 2
        try store.apply(batch)
        var straddling = Batch(generation: 2)
        straddling.add(SealedErasure(.visitor(hash: 0xAAAA_AAAA_BBBB_BBBB), key: testKey))
        #expect(try store.apply(straddling) == 0)
        #expect(try VisitorHashes.stored(in: store.database).count == 3)
        var exact = Batch(generation: 3)
        exact.add(SealedErasure(.visitor(hash: 0xBBBB_BBBB_0000_0000), key: testKey))
        #expect(try store.apply(exact) == 2)
        #expect(try VisitorHashes.stored(in: store.database).map(\.visitor) == [0x0000_0000_AAAA_AAAA])
        #expect(try VisitorHashes.stored(in: store.database).map(\.time) == [3600])
        var last = Batch(generation: 4)
        last.add(SealedErasure(.visitor(hash: 0x0000_0000_AAAA_AAAA), key: testKey))
        #expect(try store.apply(last) == 1)
        #expect(try store.database.prepare("SELECT visitors IS NULL FROM counters").rows { $0.int64(0) } == [1])
    }

    @Test("a database of version 18 keeps its pairs, dated by their hour's last second; new ones in the same row get their time")
    func versionEighteenMigrates() throws {
        let file = try TemporaryDatabase()
        do {
            let store = try Store(path: file.path, visitorKey: testKey)
            try store.apply(clicks(1, [("t1", "a", 10), ("t1", "b", 10)]))
            try store.database.backToVersionEighteen()
        }
        let store = try Store(path: file.path, visitorKey: testKey)
        #expect(try Schema.userVersion(store.database) == Schema.currentVersion)
        try store.apply(clicks(2, [("t1", "c", 10)]))
        let stored = try VisitorHashes.stored(in: store.database)
        #expect(stored.map { $0.time - 10 * 3600 } == [3599, 3599, 60])
        #expect(stored.map(\.visitor) == ["a", "b", "c"].map(visitor))
    }

    @Test("a database of version 9 moves the pairs of tokens with few into their counter rows, and keeps the others apart")
    func versionNineMigrates() throws {
        let file = try TemporaryDatabase()
        let hot = (0...TokenState.visitorsInRows).map { ("hot", "h\($0)", Int64(10 + $0 % 2)) }
        let pairs = [("t1", "a", Int64(10)), ("t1", "b", 10), ("t1", "c", 11), ("t2", "a", 10), ("t3", "d", 12)] + hot
        do {
            let store = try Store(path: file.path, visitorKey: testKey)
            try store.apply(clicks(1, pairs))
            try store.database.backToVersionNine()
        }
        let old = try Database(path: file.path, mode: .readOnly)
        #expect(try old.prepare("SELECT count(*) FROM visitors").rows { $0.int64(0) } == [Int64(pairs.count)])
        let store = try Store(path: file.path, visitorKey: testKey)
        #expect(try Schema.userVersion(store.database) == Schema.currentVersion)
        let stored = try VisitorHashes.stored(in: store.database)
        func sorted(_ pairs: [VisitorPair]) -> [String] { pairs.map { "\($0.token) \($0.hour) \($0.visitor) \($0.apart)" }.sorted() }
        #expect(sorted(stored) == sorted(pairs.map { VisitorPair(token: $0.0, visitor: visitor($0.1), time: $0.2 * 3600, apart: $0.0 == "hot") }))
        // The engine sees them: a stored visitor's click is not unique, a new one's is.
        let reader = try TokenReader(path: file.path)
        #expect(try reader.token("t1").visitorsComplete)
        #expect(try !reader.token("hot").visitorsComplete)
        #expect(try reader.hasVisitor(visitor("h7"), of: "hot"))
        var engine = Engine(configuration: .init(), committedGeneration: store.generation)
        for (token, id) in [("t1", "c"), ("t1", "e"), ("hot", "h3")] {
            _ = engine.apply(Event(token: token, kind: .click(visitor: visitor(id), bot: false), time: 20 * 3600),
                             now: 20 * 3600, reader: reader)
        }
        #expect(engine.pending.visitors.map(\.visitor) == [visitor("e")])
        // Retention finds them by hour, in the rows (through the new index) and apart.
        let expired = try store.deleteVisitors(before: 11 * 3600, limit: 10_000)
        #expect(expired.count == 3 + (TokenState.visitorsInRows + 2) / 2)
        #expect(try VisitorHashes.stored(in: store.database).allSatisfy { $0.hour >= 11 })
    }
}

extension Database {
    /// Makes a database of the current schema one of version 9 (to test migrations from it and
    /// from older ones): every visitor pair in the `visitors` table.
    func backToVersionNine() throws {
        let inRows = try VisitorHashes.stored(in: self).filter { !$0.apart }
        try backToVersionTen()
        try execute("DROP INDEX counters_visitors_by_hour; ALTER TABLE counters DROP COLUMN visitors;")
        let insert = try prepare("INSERT INTO visitors (token, visitor, hour) VALUES (?, ?, ?)")
        for pair in inRows {
            try insert.bind([.text(pair.token), .integer(Int64(bitPattern: pair.visitor)), .integer(pair.hour)])
            try insert.run()
        }
        try execute("PRAGMA user_version = 9")
    }

}
