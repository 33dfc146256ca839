import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// Several batches applied in one transaction (`Store.apply(_: [Batch])`, as the daemon's timed
/// applies do) leave the tables exactly as applying them one by one does, erasures included; and
/// the group ids the writer remembers stay right as it drops the ones not used lately.
@Suite struct ApplyTogetherTests {
    /// `RollupTests`' random batches, with a visitor pair on each token's first row of unique
    /// clicks, a `forget --visitor` (in batch 9) of the first pair stored, and a `forget --advocate` (in batch 13) of the first
    /// advocate stored.
    private static func batches(seed: UInt64) -> [Batch] {
        var paired: [String] = []
        var advocates: [String] = []
        return RollupTests.batches(seed: seed, count: 18).map { source in
            var batch = Batch(generation: source.generation)
            if batch.generation == 9, let first = paired.first { batch.add(SealedErasure(.visitor(hash: visitor("p-\(first)")), key: testKey)) }
            if batch.generation == 13, let first = advocates.first {
                batch.add(SealedErasure(.advocate(id: first, pseudonym: "forgotten-000000000002"), key: testKey))
            }
            for share in source.shares {
                batch.add(share)
                advocates.append(share.attributes.advocate)
            }
            for (key, counters) in source.counters.sorted(by: { $0.key.token < $1.key.token }) {
                batch.add(counters, at: key)
                if counters.uniqueClicks > 0, !paired.contains(key.token) {
                    paired.append(key.token)
                    batch.add(VisitorPair(token: key.token, visitor: visitor("p-\(key.token)"), time: key.hour * 3600))
                }
            }
            var state = SourceState()
            state.highestSeq = batch.generation
            batch.sources = ["kiosk-\(batch.generation % 3)": state]
            batch.events = source.events
            return batch
        }
    }

    /// Every table's rows (rollups with their groups' attributes, not their ids), in key order.
    private static func dump(_ path: String) throws -> [String] {
        let database = try Database(path: path, mode: .readOnly)
        func quoted(_ columns: [String]) -> String {
            columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
        }
        func columns(_ table: String) throws -> [String] {
            try database.prepare("SELECT name FROM pragma_table_info('\(table)')").rows { $0.string(0) ?? "" }
        }
        var selects: [String] = []
        for (table, order) in [("shares", "token"), ("counters", "token, hour"), ("visitors", "token, visitor"),
                               ("sources", "source"), ("meta", "key")] {
            // `meta` without the database's random `id`.
            let rows = table == "meta" ? " WHERE key != 'id'" : ""
            selects.append("SELECT \(quoted(try columns(table))) FROM \(table)\(rows) ORDER BY \(order)")
        }
        for rollup in Rollup.all {
            let key = (rollup.hourly ? ["hour"] : []) + rollup.groups.attributes
            selects.append("SELECT \(quoted(key + Rows.counterNames)) FROM \(rollup.withAttributes(.sqlite)) "
                           + "ORDER BY \(key.joined(separator: ", "))")
        }
        return try selects.flatMap { sql in
            try database.prepare(sql).rows { "\(sql): \($0.string(0) ?? "")" }
        }
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func batchesAppliedTogetherLeaveTheTablesAsAppliedOneByOne(seed: UInt64) throws {
        let batches = Self.batches(seed: seed)
        let oneByOne = try TemporaryDatabase()
        let store = try Store(path: oneByOne.path, visitorKey: testKey)
        var erased: [Int] = []
        for batch in batches { erased.append(try store.apply(batch)) }

        let together = try TemporaryDatabase()
        let grouped = try Store(path: together.path, visitorKey: testKey)
        var erasedTogether: [Int] = []
        var next = 0
        for size in [1, 5, 3, 6, 3] {
            erasedTogether += try grouped.apply(Array(batches[next..<next + size]))
            next += size
        }
        #expect(next == batches.count)
        // Applied again (as a recovery racing the daemon might), they change nothing.
        #expect(try grouped.apply(Array(batches.suffix(4))) == [0, 0, 0, 0])

        #expect(erasedTogether == erased)
        #expect(erased[8] == 1)
        #expect(grouped.generation == store.generation)
        #expect(grouped.valueTotal == store.valueTotal)
        let expected = try Self.dump(oneByOne.path)
        #expect(expected.contains { $0.contains("forgotten-000000000002") })
        let dumped = try Self.dump(together.path)
        #expect(dumped == expected, "\(zip(dumped, expected).first { $0 != $1 } ?? ("", ""))")
        try RollupTests.expectSameAnswers(together, live: [], seed: seed)
    }

    /// With room for 4 place groups, the writer keeps the 2 used last and those before them,
    /// drops the rest, and numbers every group once whatever it dropped, asked for a few groups
    /// at a time (some asked before, some not, some sharing their place groups).
    @Test func groupIdsStayRightAsTheWriterDropsThePlacesNotUsedLately() throws {
        let file = try TemporaryDatabase()
        let store = try Store(path: file.path, visitorKey: testKey)
        let numbers = try GroupNumbers(store.database, capacity: 4)
        func key(_ index: Int) -> GroupKey {
            GroupKey(advocate: "a\(index)", venue: "v\(index % 6)", campaign: "", network: "x", tier: "nano")
        }
        try store.database.transaction {
            var first: [Int: GroupNumbers.IDs] = [:]
            for round in 0..<3 {
                let order = (0..<9).map { round == 1 ? 8 - $0 : $0 }
                for start in stride(from: 0, to: order.count, by: round + 1) {
                    let indices = Array(order[start..<min(start + round + 1, order.count)])
                    for (index, ids) in zip(indices, try numbers.ids(of: indices.map(key))) {
                        if let earlier = first[index] {
                            #expect((0..<4).map { ids[$0] } == (0..<4).map { earlier[$0] })
                        } else {
                            first[index] = ids
                        }
                    }
                }
            }
            #expect(numbers.remembered <= 4)
            #expect(Set(first.values.map { $0[0] }).count == 9)  // share groups: one per key
            #expect(Set(first.values.map { $0[1] }).count == 6)  // place groups: one per venue
            #expect(Set(first.values.map { $0[3] }).count == 9)  // advocates: one per key
        }
        let rows = try Database(path: file.path, mode: .readOnly).prepare("SELECT COUNT(*) FROM share_groups")
        #expect(try rows.rows { $0.int64(0) } == [9])
    }
}
