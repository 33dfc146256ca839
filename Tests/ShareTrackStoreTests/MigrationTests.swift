import Foundation
import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// A database of the previous release (schema version 2), migrated in place by `Store`.
@Suite struct MigrationTests {
    @Test("a previous release's database keeps every count, holds no visitor id in clear, and its money is exact")
    func migratesInPlace() throws {
        let file = try TemporaryDatabase()
        do {
            let old = try Database(path: file.path, mode: .readWrite)
            try old.execute("PRAGMA journal_mode = WAL;" + Database.releaseOneSchema)
        }
        let store = try Store(path: file.path, visitorKey: testKey)
        #expect(store.generation == 4)
        #expect(store.id == 77)
        let database = store.database
        func rows<Row>(_ sql: String, _ row: (Statement) -> Row) throws -> [Row] { try database.prepare(sql).rows(row) }
        #expect(try Schema.userVersion(database) == Schema.currentVersion)
        let counters = try rows("SELECT token, hour, clicks, unique_clicks, conversions, value, typeof(value) FROM counters ORDER BY token, hour") {
            "\($0.string(0)!) \($0.int64(1)) \($0.int64(2)) \($0.int64(3)) \($0.int64(4)) \($0.int64(5)) \($0.string(6)!)"
        }
        // 19.99 and 0.1 exactly; the infinite sum capped at 1,000,000,000 per conversion.
        #expect(counters == ["tok-a 498836 3 2 2 19990 integer", "tok-a 498838 1 1 1 100 integer",
                             "tok-b 498837 1 1 2 2000000000000 integer"])
        #expect(store.valueTotal == Money(thousandths: 19_990 + 100 + 2_000_000_000_000))
        let visitors = try VisitorHashes.stored(in: database)
        // Each id replaced by its keyed hash, in the share's first hour.
        let expected = [("tok-a", "visitor-in-clear-1"), ("tok-a", "visitor-in-clear-2"), ("tok-a", "visitor-in-clear-3"),
                        ("tok-b", "visitor-in-clear-1")].map { token, id in
            VisitorPair(token: token, visitor: visitor(id), time: VisitorPair.time(inHour: token == "tok-a" ? 498_836 : 498_837))
        }
        #expect(Set(visitors.map { "\($0.token) \($0.visitor) \($0.hour)" }) == Set(expected.map { "\($0.token) \($0.visitor) \($0.hour)" }))
        #expect(try TokenReader(path: file.path).source("kiosk")?.highestSeq == 9)
        #expect(try rows("PRAGMA integrity_check") { $0.string(0) } == ["ok"])
        // Not a byte of a visitor id is left in any file of the directory.
        #expect(try filesHolding("visitor-in-clear", in: file.directory.path).isEmpty)
        // The engine, reading through the token reader, sees the hashed visitors: a migrated
        // visitor's click is not unique, a new visitor's is.
        let reader = try TokenReader(path: file.path)
        var engine = Engine(configuration: .init(), committedGeneration: store.generation)
        for id in ["visitor-in-clear-2", "someone-new"] {
            let click = Event(token: "tok-a", kind: .click(visitor: visitor(id), bot: false), time: 498_840 * 3600)
            _ = engine.apply(click, now: 498_840 * 3600, reader: reader)
        }
        #expect(engine.pending.counters[CounterKey(token: "tok-a", hour: 498_840)]?.uniqueClicks == 1)
        #expect(engine.pending.visitors.map(\.visitor) == [visitor("someone-new")])
    }
}

/// The files under `directory` whose raw bytes contain `text`.
func filesHolding(_ text: String, in directory: String) throws -> [String] {
    try filesHolding(Array(text.utf8), in: directory)
}

/// The names of the files in `directory` whose bytes contain `bytes`.
func filesHolding(_ bytes: [UInt8], in directory: String) throws -> [String] {
    let needle = Data(bytes)
    return try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
        let contents = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        return contents.range(of: needle) != nil
    }
}
