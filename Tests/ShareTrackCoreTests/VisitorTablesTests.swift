import Testing
@testable import ShareTrackCore

/// The token cache's visitor tables: one array, tables given back and taken again.
@Suite("Visitor tables")
struct VisitorTablesTests {
    static func randomVisitors(_ count: Int) -> [UInt64] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt64.random(in: 1...(.max), using: &generator) }
    }

    @Test("removing visitors keeps every other visitor, at every size, in any order")
    func removal() {
        for size in [1, 2, 3, 10, 100, 1000] {
            var tables = VisitorTables()
            let visitors = Self.randomVisitors(size)
            var set = VisitorSet()
            for visitor in visitors {
                let new = set.insert(visitor, in: &tables)
                #expect(new)
            }
            let removed = Set(visitors.shuffled().prefix(size / 2 + 1))
            for visitor in removed { set.remove(visitor, from: &tables) }
            #expect(set.count(in: tables) == visitors.count - removed.count)
            for visitor in visitors {
                // A removed visitor is new again; every other one is still there.
                let new = set.insert(visitor, in: &tables)
                #expect(new == removed.contains(visitor))
            }
            #expect(set.count(in: tables) == visitors.count)
        }
    }

    @Test("a table given back is taken by the next one of its size, empty")
    func reuse() {
        var tables = VisitorTables()
        var sets = [VisitorSet(), VisitorSet()]
        let first = Self.randomVisitors(100)
        for visitor in first { _ = sets[0].insert(visitor, in: &tables) }
        let held = tables.words.count
        sets[0].release(to: &tables)
        // The second set's tables grow through the sizes the first one's went through, and
        // given back: the array does not grow.
        let visitors = Self.randomVisitors(100)
        for visitor in visitors {
            let new = sets[1].insert(visitor, in: &tables)
            #expect(new)
        }
        #expect(tables.words.count == held)
        #expect(sets[1].count(in: tables) == 100)
        #expect(visitors.allSatisfy { sets[1].contains($0, in: tables) })
        #expect(!first.contains { sets[1].contains($0, in: tables) })
    }

    @Test("a rotation gives the dropped states' tables back")
    func rotation() {
        var cache = TokenCache(capacity: 4)
        func click(_ token: String, _ visitors: [UInt64]) {
            cache.update(token, load: { _ in StoredToken(shared: true) }) { state, tables in
                for visitor in visitors { _ = state.addVisitor(visitor, in: &tables) { false } }
            }
        }
        // Two generations of two tokens with tables, then two more: the first two are dropped.
        click("a", Self.randomVisitors(50))
        click("b", Self.randomVisitors(50))
        cache.rotate()
        click("c", Self.randomVisitors(50))
        click("d", Self.randomVisitors(50))
        let held = cache.tables.words.count
        cache.rotate()
        click("e", Self.randomVisitors(50))
        click("f", Self.randomVisitors(50))
        #expect(cache.count == 4)
        #expect(cache.tables.words.count == held)
    }
}
