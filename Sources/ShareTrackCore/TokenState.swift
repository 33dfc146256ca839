/// What attribution needs to know of one share token: whether its share is known, and which
/// visitors have clicked it (for exact unique clicks over the share's whole life).
public struct TokenState: Sendable {
    // `visitors` first: `shared` then takes its tail padding, and a state is 32 bytes, not 40.
    var visitors: VisitorSet
    public var shared: Bool

    public init(shared: Bool, visitors: some Sequence<String> = []) {
        self.visitors = VisitorSet()
        self.shared = shared
        for visitor in visitors { _ = self.visitors.insert(visitor) }
    }
}

/// The visitors of one share, as 64-bit hashes: the first two in place, any more in an
/// open-addressing hash table (linear probing) in one array.
///
/// Most shares have a handful of visitors (in the benchmark's workload the median is 2), so 60% of
/// the token states need no heap memory of their own, and the others one block, sized for the
/// visitors (a `Set` takes 32-48 bytes more a block and fills only up to 3/4). Fewer and smaller
/// blocks matter beyond their bytes: the cache's blocks live long, and each one left among a freed
/// batch's blocks keeps its page resident.
///
/// Two different visitors of the same share would have to collide in 64 bits to be miscounted;
/// with a few thousand visitors per share that chance is below 10^-12.
struct VisitorSet: Sendable {
    /// 0 marks a free slot, here and in `table`; a visitor whose hash is 0 is taken as 1.
    private var first: UInt64 = 0
    private var second: UInt64 = 0
    /// Empty, or a power of 2 long and at most 7/8 full (so a probe always ends at a free slot).
    private var table: [UInt64] = []
    private var tableCount: UInt32 = 0

    /// Adds a visitor; `true` if it was not there before.
    mutating func insert(_ visitor: String) -> Bool {
        let hash = max(1, UInt64(truncatingIfNeeded: visitor.hashValue))
        if hash == first || hash == second { return false }
        if first == 0 {
            first = hash
        } else if second == 0 {
            second = hash
        } else {
            if !table.isEmpty && table[Self.slot(of: hash, in: table)] == hash { return false }
            if (Int(tableCount) + 1) * 8 > table.count * 7 {
                table = Self.rehashed(table, count: max(4, table.count * 2))
            }
            let free = Self.slot(of: hash, in: table)
            table[free] = hash
            tableCount += 1
        }
        return true
    }

    var count: Int { (first == 0 ? 0 : 1) + (second == 0 ? 0 : 1) + Int(tableCount) }

    /// Where `hash` is in `table`, or the free slot where it would go.
    private static func slot(of hash: UInt64, in table: [UInt64]) -> Int {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] != 0 && table[slot] != hash { slot = (slot + 1) & mask }
        return slot
    }

    private static func rehashed(_ table: [UInt64], count: Int) -> [UInt64] {
        var larger = [UInt64](repeating: 0, count: count)
        for hash in table where hash != 0 {
            let free = slot(of: hash, in: larger)
            larger[free] = hash
        }
        return larger
    }
}
