/// A rollup row's key: the hour (0 in an all-time rollup) and the group's id.
struct RollupKey: Comparable {
    var hour: Int64
    var id: Int64

    static func < (lhs: RollupKey, rhs: RollupKey) -> Bool {
        lhs.hour != rhs.hour ? lhs.hour < rhs.hour : lhs.id < rhs.id
    }
}
