/// The order of many `RollupKey`s (a batch's rows for one rollup), by a radix sort: each key
/// packed into 64 bits (its hour and its id, less the smallest of each, side by side), then
/// sorted `digitBits` bits at a time, least significant first, each with its index alongside.
///
/// Sorting the rows themselves (72 bytes each, with their counters) with `sort` was a fifth of
/// the apply's CPU in `make bench`: eight sorts a batch, one of the cells and one per rollup. A
/// batch's hours and group ids span small ranges, so its keys pack into 20-40 bits, sorted in 2-4
/// passes over 16-byte entries (docs/benchmarks.md, round 17).
struct RollupKeyOrder {
    /// The indexes of the keys given, in key order (equal keys in the order given).
    let indexes: [Int]

    private static let digitBits = 11

    init(_ keys: [RollupKey]) {
        indexes = Self.radixSorted(keys) ?? keys.indices.sorted { keys[$0] < keys[$1] }
    }

    /// The indexes in key order; nil if the keys do not pack into 64 bits (never with the hours
    /// and group ids of real batches; then a comparison sort orders them).
    private static func radixSorted(_ keys: [RollupKey]) -> [Int]? {
        guard let first = keys.first else { return [] }
        var (lowHour, highHour, lowID, highID) = (first.hour, first.hour, first.id, first.id)
        for key in keys {
            (lowHour, highHour) = (min(lowHour, key.hour), max(highHour, key.hour))
            (lowID, highID) = (min(lowID, key.id), max(highID, key.id))
        }
        // The spans as unsigned distances, exact for any two Int64s.
        let idBits = UInt64.bitWidth - UInt64(bitPattern: highID &- lowID).leadingZeroBitCount
        let hourBits = UInt64.bitWidth - UInt64(bitPattern: highHour &- lowHour).leadingZeroBitCount
        guard idBits + hourBits <= UInt64.bitWidth else { return nil }
        var entries = keys.indices.map { index in
            let key = keys[index]
            let packed = UInt64(bitPattern: key.hour &- lowHour) << idBits | UInt64(bitPattern: key.id &- lowID)
            return (packed: packed, index: index)
        }
        var sorted = entries
        let mask = UInt64(1 << digitBits - 1)
        for shift in stride(from: 0, to: idBits + hourBits, by: digitBits) {
            // Where each digit's entries start in `sorted`, then where its next one goes.
            var next = [Int](repeating: 0, count: 1 << digitBits + 1)
            for entry in entries { next[Int(entry.packed >> shift & mask) + 1] += 1 }
            for digit in 1..<next.count { next[digit] += next[digit - 1] }
            for entry in entries {
                let digit = Int(entry.packed >> shift & mask)
                sorted[next[digit]] = entry
                next[digit] += 1
            }
            swap(&entries, &sorted)
        }
        return entries.map(\.index)
    }
}
