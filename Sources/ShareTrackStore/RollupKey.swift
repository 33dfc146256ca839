/// A rollup row's key: the hour (0 in an all-time rollup) and the group's id.
struct RollupKey: Comparable {
    var hour: Int64
    var id: Int64

    static func < (lhs: RollupKey, rhs: RollupKey) -> Bool {
        lhs.hour != rhs.hour ? lhs.hour < rhs.hour : lhs.id < rhs.id
    }

    /// The indexes of `keys` in key order (equal keys in the order given): by a radix sort of the
    /// keys packed into 64 bits (each hour and id less the smallest, side by side), or, for keys
    /// that do not pack (never the hours and group ids of real batches), by comparing them.
    static func order(of keys: [RollupKey]) -> [Int] {
        guard let first = keys.first else { return [] }
        var (lowHour, highHour, lowID, highID) = (first.hour, first.hour, first.id, first.id)
        for key in keys {
            (lowHour, highHour) = (min(lowHour, key.hour), max(highHour, key.hour))
            (lowID, highID) = (min(lowID, key.id), max(highID, key.id))
        }
        let idBits = RadixOrder.bits(from: lowID, to: highID)
        let hourBits = RadixOrder.bits(from: lowHour, to: highHour)
        guard idBits + hourBits <= UInt64.bitWidth else { return keys.indices.sorted { keys[$0] < keys[$1] } }
        let packed = keys.map { UInt64(bitPattern: $0.hour &- lowHour) << idBits | UInt64(bitPattern: $0.id &- lowID) }
        return RadixOrder.indexes(of: packed, bits: idBits + hourBits)
    }
}
