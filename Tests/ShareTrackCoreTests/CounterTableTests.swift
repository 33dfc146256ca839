import Testing
import TestSupport

@testable import ShareTrackCore

@Suite("Counter table")
struct CounterTableTests {
    /// Random deltas on keys drawn from `tokens` tokens (long, short and non-ASCII ones) and a few
    /// hours, added to a table and to a `Dictionary`, with the keys' first-come order kept apart.
    static func filled(seed: UInt64, adds: Int, tokens: Int, reserved: Int = 0)
        -> (table: CounterTable, reference: [CounterKey: Counters], order: [CounterKey])
    {
        var random = SplitMix(seed: seed)
        var table = CounterTable()
        table.reserveCapacity(reserved)
        var reference: [CounterKey: Counters] = [:]
        var order: [CounterKey] = []
        let names = (0..<tokens).map { index in
            index % 7 == 0 ? "tök-\(index)-" + String(repeating: "x", count: index % 130) : "t\(index)"
        }
        for _ in 0..<adds {
            let key = CounterKey(token: names[Int.random(in: 0..<tokens, using: &random)],
                                 hour: Int64.random(in: -3...3, using: &random) * 1_000_003)
            var delta = Counters()
            delta.clicks = Int64.random(in: 0...5, using: &random)
            delta.value = Money(thousandths: Int64.random(in: 0...10_000, using: &random))
            if reference[key] == nil { order.append(key) }
            reference[key, default: Counters()].add(delta)
            table.add(delta, at: key)
        }
        return (table, reference, order)
    }

    @Test("holds what a dictionary holds, in the order the keys came, through growth and reserved room",
          arguments: [(UInt64(1), 0), (2, 0), (3, 50_000), (4, 3)])
    func matchesADictionary(seed: UInt64, reserved: Int) {
        let (table, reference, order) = Self.filled(seed: seed, adds: 60_000, tokens: 9_000, reserved: reserved)
        #expect(table.count == reference.count)
        #expect(Array(table.keys) == order)
        #expect(table.map(\.key) == order)
        #expect(Array(table.values) == order.map { reference[$0]! })
        for (key, sum) in reference { #expect(table[key] == sum) }
        #expect(table[CounterKey(token: "t1", hour: 4 * 1_000_003)] == nil)
        #expect(table[CounterKey(token: "never", hour: 0)] == nil)
    }

    @Test("an empty table finds nothing; a filter keeps the entries it selects, in order")
    func emptyAndFiltered() {
        #expect(CounterTable()[CounterKey(token: "t", hour: 1)] == nil)
        #expect(CounterTable().isEmpty)
        let (table, reference, order) = Self.filled(seed: 9, adds: 5_000, tokens: 700)
        let kept = table.filter { $0.key.hour >= 0 }
        let expected = order.filter { $0.hour >= 0 }
        #expect(Array(kept.keys) == expected)
        for key in expected { #expect(kept[key] == reference[key]) }
        for key in order where key.hour < 0 { #expect(kept[key] == nil) }
    }

    @Test("keys whose tokens differ only in their hour or their bytes are kept apart")
    func nearKeysApart() {
        var table = CounterTable()
        var one = Counters()
        one.clicks = 1
        let keys = [CounterKey(token: "ab", hour: 1), CounterKey(token: "ba", hour: 1), CounterKey(token: "ab", hour: 2),
                    CounterKey(token: "é", hour: 1), CounterKey(token: "e\u{301}", hour: 1)]
        for key in keys { table.add(one, at: key) }
        table.add(one, at: keys[0])
        #expect(table.count == keys.count - 1)  // "é" precomposed and decomposed are equal Strings
        #expect(table[keys[0]]?.clicks == 2)
        #expect(table[keys[3]]?.clicks == 2)
        #expect(table[keys[1]]?.clicks == 1)
    }
}
