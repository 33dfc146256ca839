import Glibc
import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The journal and the store: what the journal makes durable is applied to the tables exactly once.
@Suite struct StoreTests {
    private func batch(_ generation: UInt64, clicks: Int64, seq: UInt64) -> Batch {
        var batch = Batch(generation: generation)
        var counters = Counters()
        counters.clicks = clicks
        batch.add(counters, at: CounterKey(token: "t1", hour: 100))
        batch.add(VisitorPair(token: "t1", visitor: visitor("v\(generation)"), time: 100 * 3600))
        var source = SourceState()
        source.highestSeq = seq
        batch.sources = ["kiosk": source]
        batch.events = Int(clicks)
        return batch
    }

    private func count(_ database: Database, _ sql: String) throws -> Int64 {
        try database.prepare(sql).rows { $0.int64(0) }.first ?? -1
    }

    @Test func aBatchIsAppliedOnceAndForgottenByALaterAppend() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        try journal.append(batch(1, clicks: 3, seq: 7), forgettingThrough: 0)
        let reader = try Database(path: file.path, mode: .readOnly)
        #expect(try count(reader, "SELECT COUNT(*) FROM counters") == 0)
        try store.apply(batch(1, clicks: 3, seq: 7))
        try store.apply(batch(1, clicks: 3, seq: 7))  // again, as a recovery racing the daemon might
        #expect(try count(reader, "SELECT SUM(clicks) FROM counters") == 3)
        #expect(try count(reader, "SELECT value FROM meta WHERE key = 'generation'") == 1)
        #expect(try TokenReader(path: file.path).source("kiosk")?.highestSeq == 7)
        #expect(try journal.batches().map(\.generation) == [1])
        try journal.append(batch(2, clicks: 4, seq: 9), forgettingThrough: store.generation)
        #expect(try journal.batches().map(\.generation) == [2])
    }

    @Test func whatACrashLeftInTheJournalIsThereToApplyAtTheNextStart() throws {
        let file = try TemporaryDatabase()
        do {
            let store = try Store(path: file.path, visitorKey: testKey)
            let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
            for generation in UInt64(1)...3 {
                try journal.append(batch(generation, clicks: Int64(generation), seq: generation), forgettingThrough: 0)
            }
            try store.apply(batch(1, clicks: 1, seq: 1))
        }
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        #expect(store.generation == 1)
        let batches = try journal.batches()
        #expect(batches.map(\.generation) == [1, 2, 3])
        #expect(batches.last?.counters == batch(3, clicks: 3, seq: 3).counters)
        for batch in batches { try store.apply(batch) }
        let reader = try Database(path: file.path, mode: .readOnly)
        #expect(try count(reader, "SELECT SUM(clicks) FROM counters") == 6)
        #expect(try VisitorHashes.stored(in: reader).count == 3)
        #expect(store.generation == 3)
    }

    /// Each transaction's log is copied into the database file as it commits, so that batches
    /// applied one transaction after another, as a backlog is, write over the log's first pages
    /// instead of growing it.
    @Test func aBacklogAppliedTransactionAfterTransactionKeepsTheLogShort() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        var logSizes: [Int] = []
        for generation in UInt64(1)...6 {
            var batch = Batch(generation: generation)
            var counters = Counters()
            counters.clicks = 1
            for token in 0..<3_000 {
                batch.add(counters, at: CounterKey(token: "t\(generation)-\(token)", hour: 100))
            }
            batch.events = 3_000
            try store.apply(batch)
            var log = stat()
            #expect(stat(file.path + "-wal", &log) == 0)
            logSizes.append(Int(log.st_size))
        }
        #expect(logSizes[0] > 20 * 4_096)
        // Appended to, the log would hold every transaction's pages: six times the first's.
        #expect(logSizes.max()! < 2 * logSizes[0])
        let reader = try Database(path: file.path, mode: .readOnly)
        #expect(try count(reader, "SELECT SUM(clicks) FROM counters") == 18_000)
    }

    @Test func batchesOfAnotherDatabaseAreRefusedAnEmptyJournalIsTakenOver() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        try journal.append(batch(1, clicks: 1, seq: 1), forgettingThrough: 0)
        #expect {
            _ = try Journal(databasePath: file.path, databaseID: store.id + 1, visitorKey: testKey)
        } throws: { error in
            "\(error)".contains("batches of another database") && "\(error)".contains(Journal.path(of: file.path))
        }
        try journal.forget(through: 1)
        let other = try Journal(databasePath: file.path, databaseID: store.id + 1, visitorKey: testKey)
        try other.append(batch(1, clicks: 1, seq: 1), forgettingThrough: 0)
        #expect(throws: StoreError.self) { try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey) }
    }

    /// A backlog of 40 batches of 2,000 counter rows each (about 3 MB), shipped and applied: the
    /// file is rebuilt to the one batch left once its free pages pass the bound (here 16 pages of
    /// 64 KiB), and only then.
    @Test func aJournalMostlyFreeIsRebuiltSmallHoldingWhatIsLeft() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        func large(_ generation: UInt64) -> Batch {
            var batch = Batch(generation: generation)
            var counters = Counters()
            counters.clicks = 1
            for token in 0..<2_000 { batch.add(counters, at: CounterKey(token: "token-\(generation)-\(token)", hour: 100)) }
            batch.events = 2_000
            return batch
        }
        for generation in UInt64(1)...40 { try journal.append(large(generation), forgettingThrough: 0) }
        #expect(try journal.compactIfMostlyFree(freePages: 16) == nil)  // nothing free
        try journal.append(large(41), forgettingThrough: 40)
        journal.database.checkpoint()
        let size = { (suffix: String) -> Int64 in
            var info = stat()
            return stat(Journal.path(of: file.path) + suffix, &info) == 0 ? Int64(info.st_size) : -1
        }
        let before = size("")
        #expect(try journal.compactIfMostlyFree(freePages: 10_000) == nil)  // not enough free yet
        #expect(try journal.compactIfMostlyFree(freePages: 16, usedPages: 0) == nil)  // more in use than a rebuild copies
        let rebuilt = try #require(try journal.compactIfMostlyFree(freePages: 16))
        #expect(rebuilt.before == before && rebuilt.after * 5 < rebuilt.before, "\(rebuilt)")
        #expect(size("") == rebuilt.after && size("-wal") == 0)
        #expect(try journal.batches().map(\.generation) == [41])
        #expect(try journal.batches().first?.counters == large(41).counters)
    }

    @Test func aCorruptJournalRowIsAClearError() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let journal = try Journal(databasePath: file.path, databaseID: store.id, visitorKey: testKey)
        try journal.database.execute("INSERT INTO journal (generation, header, effects) VALUES (1, x'01ff', x'')")
        #expect {
            _ = try journal.batches()
        } throws: { error in
            "\(error)".contains("cannot read the journal") && "\(error)".contains("ends early")
        }
    }
}
