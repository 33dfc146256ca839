/// A batch's counter deltas by key, in the order their keys came: the keys and deltas in two
/// arrays filled from the front, and an open-addressed table of their places, probed linearly.
///
/// Written here rather than taken from swift-collections: its `OrderedDictionary` (which this
/// replaces, and whose layout this keeps) hashed each key's token through `Hasher` (SipHash) and
/// found its bucket through a bit-packed table, 15% of the ingest thread's CPU in `ack: receive`
/// mode (docs/benchmarks.md, session 66). A key here is hashed once (`FastHash`, seeded per
/// process as `Hasher` is), and each place holds the top bits of its key's hash beside its index,
/// so a probe compares a key only where those agree.
public struct CounterTable: Sendable, Equatable, RandomAccessCollection {
    public private(set) var keys: [CounterKey] = []
    public private(set) var values: [Counters] = []
    /// `0` for none, else a key's index plus one in the low `indexBits` bits and the top bits of
    /// its hash above them (a tag): 4 bytes a place, at least a third more places than keys.
    private var places: [UInt32] = []
    private var indexBits = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }

    public subscript(position: Int) -> (key: CounterKey, value: Counters) {
        (keys[position], values[position])
    }

    /// The deltas at `key`, if any.
    public subscript(key: CounterKey) -> Counters? {
        guard !places.isEmpty else { return nil }
        let (place, found) = find(key, Self.hash(key))
        return found ? values[index(at: place)] : nil
    }

    /// Adds `delta` to what `key` holds (nothing, for a new key).
    public mutating func add(_ delta: Counters, at key: CounterKey) {
        if (keys.count + 1) * 4 > places.count * 3 { grow(to: keys.count + 1) }
        let hash = Self.hash(key)
        let (place, found) = find(key, hash)
        if found {
            values[index(at: place)].add(delta)
            return
        }
        keys.append(key)
        values.append(delta)
        places[place] = tag(hash) | UInt32(keys.count)
    }

    /// Room for `count` keys without growing.
    public mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        if count * 4 > places.count * 3 { grow(to: count) }
    }

    /// The entries `isIncluded` selects, in their order.
    public func filter(_ isIncluded: ((key: CounterKey, value: Counters)) -> Bool) -> CounterTable {
        var kept = CounterTable()
        for entry in self where isIncluded(entry) { kept.add(entry.value, at: entry.key) }
        return kept
    }

    /// The same entries in the same order (as `OrderedDictionary`'s `==`).
    public static func == (left: CounterTable, right: CounterTable) -> Bool {
        left.keys == right.keys && left.values == right.values
    }

    private var indexMask: UInt32 { UInt32(truncatingIfNeeded: (1 << indexBits) - 1) }

    /// The index of the key at an occupied place.
    private func index(at place: Int) -> Int {
        Int(places[place] & indexMask) - 1
    }

    /// The top `32 - indexBits` bits of `hash`, above the index's bits (those the place does not
    /// come from: it comes from the low 32).
    private func tag(_ hash: UInt64) -> UInt32 {
        indexBits == 32 ? 0 : UInt32(truncatingIfNeeded: hash >> (32 + indexBits)) << indexBits
    }

    /// Where `key` is, or the empty place where it would go: from the place its hash's low half
    /// maps to (scaled to the table's length, so that any length serves), then onwards.
    private func find(_ key: CounterKey, _ hash: UInt64) -> (place: Int, found: Bool) {
        let tag = tag(hash)
        var place = Int(truncatingIfNeeded: ((hash & 0xFFFF_FFFF) &* UInt64(places.count)) >> 32)
        while true {
            let entry = places[place]
            if entry == 0 { return (place, false) }
            if entry & ~indexMask == tag, keys[Int(entry & indexMask) - 1] == key { return (place, true) }
            place += 1
            if place == places.count { place = 0 }
        }
    }

    /// Makes the table of places at least `4/3 × count` long (twice as long as it was, at least,
    /// when it outgrows its room) and places every key again.
    private mutating func grow(to count: Int) {
        let length = Swift.max(16, count * 4 / 3 + 1, places.count * 2)
        places = [UInt32](repeating: 0, count: length)
        indexBits = Int.bitWidth - length.leadingZeroBitCount
        for (index, key) in keys.enumerated() {
            let hash = Self.hash(key)
            places[find(key, hash).place] = tag(hash) | UInt32(index + 1)
        }
    }

    /// The key's `FastHash`: its token's bytes, then its hour. A token beyond ASCII is hashed as
    /// `String` hashes it instead, since `==` finds some with other bytes equal (`é` and `e` with
    /// a combining accent); tokens on the wire are ASCII (`FieldSyntax`).
    static func hash(_ key: CounterKey) -> UInt64 {
        var hash = FastHash()
        if !hash.add(key.token) { hash = FastHash(state: UInt64(bitPattern: Int64(key.token.hashValue))) }
        hash.add(UInt64(bitPattern: key.hour))
        return hash.value
    }
}
