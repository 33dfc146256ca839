/// The visitor hash tables of every cached token state, in one array of 64-bit words: a token
/// with more than two visitors holds a `Table`, a place in that array, instead of an array of its
/// own.
///
/// An array per token cost 48 bytes besides its slots (the array's header and the allocator's),
/// for 71,000 of `make bench`'s 177,000 tokens, and one more heap block to allocate each time a
/// table grows (docs/benchmarks.md, issue 13 round 7). Here a table is its count and its slots,
/// 4 × 2^k of them, open addressing with linear probing, at most 7/8 full (so a probe always ends
/// at a free slot); 0 marks a free slot (`VisitorKey` never gives 0). A table outgrown or dropped
/// with its token goes on a free list of its size, which the next table of that size takes, so
/// the array holds of each size at most as many tables as were held at once, and ingest
/// allocates nothing in the steady state. (Offsets are 32-bit: 32 GiB of tables.)
struct VisitorTables: Sendable {
    /// Where a table is: `offset` is its count's word, its slots follow.
    struct Table: Sendable {
        fileprivate var offset: UInt32
        fileprivate var sizeClass: UInt8

        fileprivate var slots: Int { 4 << Int(sizeClass) }
        fileprivate var words: Range<Int> { Int(offset) + 1 ..< Int(offset) + 1 + slots }
    }

    /// Every table, in use or free.
    private(set) var words: [UInt64] = []
    /// Per size class, the offsets of the tables given back.
    private var free: [[UInt32]] = []

    /// The visitors in `table`.
    func count(_ table: Table) -> Int { Int(words[Int(table.offset)]) }

    func contains(_ hash: UInt64, in table: Table) -> Bool {
        words[slot(of: hash, in: table)] == hash
    }

    /// Adds `hash` (not 0, not in the table yet) to `table`, or to a new table if nil; returns
    /// where the table is now (it moves when it grows).
    mutating func insert(_ hash: UInt64, into table: Table?) -> Table {
        var table = table ?? allocate(sizeClass: 0)
        let count = count(table)
        if (count + 1) * 8 > table.slots * 7 {
            let larger = allocate(sizeClass: table.sizeClass + 1)
            for word in table.words where words[word] != 0 { place(words[word], in: larger) }
            words[Int(larger.offset)] = UInt64(count)
            release(table)
            table = larger
        }
        place(hash, in: table)
        words[Int(table.offset)] = UInt64(count + 1)
        return table
    }

    /// Removes `hash` from `table` if it is there.
    mutating func remove(_ hash: UInt64, from table: Table) {
        // Slots by their index in the table, its first slot at `base`.
        let base = Int(table.offset) + 1, mask = table.slots - 1
        var hole = slot(of: hash, in: table) - base
        guard words[base + hole] == hash else { return }
        words[base + hole] = 0
        words[Int(table.offset)] -= 1
        // Backward-shift deletion: move up every later entry of the probe run that may fill the hole.
        var next = (hole + 1) & mask
        while words[base + next] != 0 {
            let home = Int(truncatingIfNeeded: words[base + next]) & mask
            // The entry may move to `hole` unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !staysPut {
                words[base + hole] = words[base + next]
                words[base + next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    /// Gives `table` back (its token's state is dropped), for the next table of its size.
    mutating func release(_ table: Table) {
        for word in table.words { words[word] = 0 }
        free[Int(table.sizeClass)].append(table.offset)
    }

    private mutating func allocate(sizeClass: UInt8) -> Table {
        while free.count <= Int(sizeClass) { free.append([]) }
        if let offset = free[Int(sizeClass)].popLast() {
            let table = Table(offset: offset, sizeClass: sizeClass)
            words[Int(offset)] = 0
            return table
        }
        let table = Table(offset: UInt32(words.count), sizeClass: sizeClass)
        words.append(contentsOf: repeatElement(0, count: 1 + table.slots))
        return table
    }

    /// Puts `hash` in its free slot of `table`.
    private mutating func place(_ hash: UInt64, in table: Table) {
        words[slot(of: hash, in: table)] = hash
    }

    /// The word that holds `hash` in `table`, or the free one where it would go.
    private func slot(of hash: UInt64, in table: Table) -> Int {
        let base = Int(table.offset) + 1, mask = table.slots - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while words[base + index] != 0 && words[base + index] != hash { index = (index + 1) & mask }
        return base + index
    }
}
