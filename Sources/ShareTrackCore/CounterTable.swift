/// A batch's counter deltas by key, in the order their keys came (a `KeyedTable`; this type gives
/// the store a concrete one to read, and sums the deltas of a key).
public struct CounterTable: Sendable, Equatable, RandomAccessCollection {
    private var table = KeyedTable<CounterKey, Counters>()

    public init() {}

    public var keys: some RandomAccessCollection<CounterKey> { table.entries.lazy.map(\.key) }
    public var values: some RandomAccessCollection<Counters> { table.entries.lazy.map(\.value) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { table.count }

    public subscript(position: Int) -> (key: CounterKey, value: Counters) {
        table.entries[position]
    }

    /// The deltas at `key`, if any.
    public subscript(key: CounterKey) -> Counters? { table[key] }

    /// Adds `delta` to what `key` holds (nothing, for a new key).
    public mutating func add(_ delta: Counters, at key: CounterKey) {
        let (index, inserted) = table.index(of: key) { delta }
        if !inserted { table[valueAt: index].add(delta) }
    }

    /// Room for `count` keys without growing.
    public mutating func reserveCapacity(_ count: Int) {
        table.reserveCapacity(count)
    }

    /// The entries `isIncluded` selects, in their order.
    public func filter(_ isIncluded: ((key: CounterKey, value: Counters)) -> Bool) -> CounterTable {
        var kept = CounterTable()
        for entry in self where isIncluded(entry) { kept.add(entry.value, at: entry.key) }
        return kept
    }

    /// The same entries in the same order (as `OrderedDictionary`'s `==`).
    public static func == (left: CounterTable, right: CounterTable) -> Bool {
        left.elementsEqual(right) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension CounterKey: FastHashable {
    /// Its token's, then its hour.
    func add(to hash: inout FastHash) {
        token.add(to: &hash)
        hash.add(UInt64(bitPattern: hour))
    }
}
