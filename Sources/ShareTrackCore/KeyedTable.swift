/// Values by key, in the order their keys came: the entries (each key beside its value) in an
/// array filled from the front, and an open-addressed table of their places, probed linearly. It serves a batch's
/// counter deltas (`CounterTable`) and the engine's caches (`GenerationCache`).
///
/// Written here rather than taken from the standard library or swift-collections: `Dictionary`
/// and `OrderedDictionary` hash each token through `Hasher` (SipHash), and the latter finds its
/// bucket through a bit-packed table; the two took 15% and 10% of the ingest thread's CPU in
/// `ack: receive` mode (docs/benchmarks.md, sessions 66 and 67). A key here is hashed once
/// (`FastHash`, seeded per process as `Hasher` is), and each place holds the top bits of its key's
/// hash beside its index, so a probe compares a key only where those agree, and finds the value
/// in the same cache line as the key. Keys are never removed (a cache marks a value gone with an
/// optional value instead).
struct KeyedTable<Key: FastHashable, Value> {
    typealias Entry = (key: Key, value: Value)

    private(set) var entries: [Entry] = []
    /// `0` for none, else a key's index plus one in the low `indexBits` bits and the top bits of
    /// its hash above them (a tag): 4 bytes a place, at least a third more places than keys.
    private var places: [UInt32] = []
    private var indexBits = 0

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The index of `key`'s entry, if it is there.
    func index(of key: Key) -> Int? {
        guard !places.isEmpty else { return nil }
        let (place, found) = find(key, Self.hash(key))
        return found ? index(at: place) : nil
    }

    /// The value of `key`, if it is there.
    subscript(key: Key) -> Value? {
        index(of: key).map { entries[$0].value }
    }

    /// The value of the entry at `index`, changed in place.
    subscript(valueAt index: Int) -> Value {
        get { entries[index].value }
        _modify { yield &entries[index].value }
    }

    /// The index of `key`'s entry, appending one with `value()` when there is none.
    mutating func index(of key: Key, inserting value: () throws -> Value) rethrows -> (index: Int, inserted: Bool) {
        if (entries.count + 1) * 4 > places.count * 3 { grow(to: entries.count + 1) }
        let hash = Self.hash(key)
        let (place, found) = find(key, hash)
        if found { return (index(at: place), false) }
        entries.append((key, try value()))
        places[place] = tag(hash) | UInt32(entries.count)
        return (entries.count - 1, true)
    }

    /// Room for `count` keys without growing.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        if count * 4 > places.count * 3 { grow(to: count) }
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
    private func find(_ key: Key, _ hash: UInt64) -> (place: Int, found: Bool) {
        let tag = tag(hash)
        var place = Int(truncatingIfNeeded: ((hash & 0xFFFF_FFFF) &* UInt64(places.count)) >> 32)
        while true {
            let entry = places[place]
            if entry == 0 { return (place, false) }
            if entry & ~indexMask == tag, entries[Int(entry & indexMask) - 1].key == key { return (place, true) }
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
        for (index, (key, _)) in entries.enumerated() {
            let hash = Self.hash(key)
            places[find(key, hash).place] = tag(hash) | UInt32(index + 1)
        }
    }

    private static func hash(_ key: Key) -> UInt64 {
        var hash = FastHash()
        key.add(to: &hash)
        return hash.value
    }
}

extension KeyedTable: Sendable where Key: Sendable, Value: Sendable {}

/// A key a `KeyedTable` finds by its `FastHash`.
protocol FastHashable: Equatable {
    /// Adds the key to `hash`; keys that are equal (`==`) add the same.
    func add(to hash: inout FastHash)
}

extension String: FastHashable {
    /// Its UTF-8 bytes; a string beyond ASCII as `String` hashes it instead, since `==` finds some
    /// with other bytes equal (`é` and `e` with a combining accent). Tokens on the wire are ASCII
    /// (`FieldSyntax`); producers' names are free text, and most are ASCII too.
    func add(to hash: inout FastHash) {
        var bytes = hash
        if bytes.add(self) {
            hash = bytes
        } else {
            hash.add(UInt64(bitPattern: Int64(hashValue)))
        }
    }
}
