/// What attribution needs to know of one share token: whether its share is known, and which
/// visitors have clicked it (for exact unique clicks over the share's whole life).
///
/// A token with many stored visitors is not loaded whole (that would stall ingest for as long as
/// reading millions of rows takes): its state then holds some of them (`visitorsComplete` is
/// false), and a visitor it does not hold is looked up in the store on its own.
public struct TokenState: Sendable {
    /// The store keeps a token's first visitors (this many) in its counter rows, any more apart
    /// (`VisitorPair.apart`): a token's rows then hold few hashes, and a cache miss reads them all.
    public static let visitorsInRows = 4096

    // `visitors` first: the flags then take its tail padding, and a state is 32 bytes, not 40.
    var visitors: VisitorSet
    public var shared: Bool
    /// Whether `visitors` holds every visitor the store holds for the token.
    public let visitorsComplete: Bool

    /// - Parameters:
    ///   - visitors: the keyed hashes of its visitors (`VisitorKey`).
    ///   - complete: whether those are all the visitors the store holds for the token.
    public init(shared: Bool, visitors: some Sequence<UInt64> = [], complete: Bool = true) {
        self.visitors = VisitorSet()
        self.shared = shared
        self.visitorsComplete = complete
        for visitor in visitors { _ = self.visitors.insert(visitor) }
    }

    /// Whether a visitor just added is among the token's first `visitorsInRows` (all of which the
    /// state holds then).
    var visitorFitsInRows: Bool { visitorsComplete && visitors.count <= Self.visitorsInRows }

    /// Records a click by `visitor`; `true` if it is the visitor's first on this token.
    /// `isStored` tells whether the store holds the visitor; it is asked only when the state does
    /// not hold every stored visitor.
    mutating func addVisitor(_ visitor: UInt64, isStored: () throws -> Bool) rethrows -> Bool {
        if visitorsComplete { return visitors.insert(visitor) }
        guard !visitors.contains(max(1, visitor)) else { return false }
        let stored = try isStored()
        _ = visitors.insert(visitor)
        return !stored
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
/// The hashes are the visitors' keyed hashes (`VisitorKey`, which explains why 64 bits suffice).
struct VisitorSet: Sendable {
    /// 0 marks a free slot, here and in `table` (`VisitorKey` never gives 0; 0 is taken as 1).
    private var first: UInt64 = 0
    private var second: UInt64 = 0
    /// Empty, or a power of 2 long and at most 7/8 full (so a probe always ends at a free slot).
    private var table: [UInt64] = []
    private var tableCount: UInt32 = 0

    /// Adds a visitor; `true` if it was not there before.
    mutating func insert(_ visitor: UInt64) -> Bool {
        let hash = max(1, visitor)
        if contains(hash) { return false }
        if first == 0 {
            first = hash
        } else if second == 0 {
            second = hash
        } else {
            if (Int(tableCount) + 1) * 8 > table.count * 7 {
                table = Self.rehashed(table, count: max(4, table.count * 2))
            }
            let free = Self.slot(of: hash, in: table)
            table[free] = hash
            tableCount += 1
        }
        return true
    }

    func contains(_ hash: UInt64) -> Bool {
        hash == first || hash == second || (!table.isEmpty && table[Self.slot(of: hash, in: table)] == hash)
    }

    /// Removes a visitor (a forgotten or expired one).
    mutating func remove(_ visitor: UInt64) {
        let hash = max(1, visitor)
        if hash == first { return first = 0 }
        if hash == second { return second = 0 }
        guard !table.isEmpty else { return }
        var hole = Self.slot(of: hash, in: table)
        guard table[hole] == hash else { return }
        table[hole] = 0
        tableCount -= 1
        // Backward-shift deletion: move up every later entry of the probe run that may fill the hole.
        let mask = table.count - 1
        var next = (hole + 1) & mask
        while table[next] != 0 {
            let home = Int(truncatingIfNeeded: table[next]) & mask
            // The entry may move to `hole` unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !staysPut {
                table[hole] = table[next]
                table[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
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
