/// An order of many rows by unsigned keys of up to 64 bits, found by a radix sort: the keys are
/// sorted `digitBits` bits at a time, least significant first, each with its row's index alongside.
///
/// The apply puts every batch's rows in key order several times: its counter rows and visitor
/// pairs (`Store.keyOrder`), its cells and each rollup's rows (`RollupWriter.sumPerKey`). Sorting
/// them with `sort` (a merge sort; for the rollups, of the 72-byte rows themselves) was over a
/// quarter of the apply's CPU in `make bench`. A batch's hours and group ids span small ranges, so
/// its keys pack into 20-40 bits: 2-4 passes over 16-byte entries (docs/benchmarks.md, round 17).
enum RadixOrder {
    private static let digitBits = 11

    /// The indexes of `keys` in the order of the keys' low `bits` bits (their other bits zero);
    /// equal keys in the order given.
    static func indexes(of keys: [UInt64], bits: Int) -> [Int] {
        var entries = keys.indices.map { (key: keys[$0], index: $0) }
        var sorted = entries
        let mask = UInt64(1 << digitBits - 1)
        for shift in stride(from: 0, to: bits, by: digitBits) {
            // Where each digit's entries start in `sorted`, then where its next one goes.
            var next = [Int](repeating: 0, count: 1 << digitBits + 1)
            for entry in entries { next[Int(entry.key >> shift & mask) + 1] += 1 }
            for digit in 1..<next.count { next[digit] += next[digit - 1] }
            for entry in entries {
                let digit = Int(entry.key >> shift & mask)
                sorted[next[digit]] = entry
                next[digit] += 1
            }
            swap(&entries, &sorted)
        }
        return entries.map(\.index)
    }

    /// The number of bits that `high - low` takes, as an unsigned distance (exact for any two
    /// Int64s, `low <= high`): what a key part from `low` through `high` needs once `low` is taken
    /// from it.
    static func bits(from low: Int64, to high: Int64) -> Int {
        UInt64.bitWidth - UInt64(bitPattern: high &- low).leadingZeroBitCount
    }
}
