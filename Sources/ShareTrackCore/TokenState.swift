/// What attribution needs to know of one share token: whether its share is known, and which
/// visitors have clicked it (for exact unique clicks over the share's whole life).
///
/// A token with many stored visitors is not loaded whole (that would stall ingest for as long as
/// reading millions of rows takes): its state then holds some of them (`visitorsComplete` is
/// false), and a visitor it does not hold is looked up in the store on its own.
///
/// Its visitors past the first two are in the `TokenCache`'s `VisitorTables`, which every
/// operation on them is given.
public struct TokenState: Sendable {
    /// The store keeps a token's first visitors (this many) in its counter rows, any more apart
    /// (`VisitorPair.apart`): a token's rows then hold few hashes, and a cache miss reads them all.
    public static let visitorsInRows = 4096

    // `visitors` first: the flags then take its tail padding, and a state is 24 bytes, not 32.
    var visitors = VisitorSet()
    var shared: Bool
    /// Whether `visitors` holds every visitor the store holds for the token.
    let visitorsComplete: Bool

    /// The state of what the store holds, its visitors put in `tables`.
    init(_ stored: StoredToken, in tables: inout VisitorTables) {
        shared = stored.shared
        visitorsComplete = stored.visitorsComplete
        for visitor in stored.visitors { _ = visitors.insert(visitor, in: &tables) }
    }

    /// Whether a visitor just added is among the token's first `visitorsInRows` (all of which the
    /// state holds then).
    func visitorFitsInRows(_ tables: VisitorTables) -> Bool {
        visitorsComplete && visitors.count(in: tables) <= Self.visitorsInRows
    }

    /// Records a click by `visitor`; `true` if it is the visitor's first on this token.
    /// `isStored` tells whether the store holds the visitor; it is asked only when the state does
    /// not hold every stored visitor.
    mutating func addVisitor(_ visitor: UInt64, in tables: inout VisitorTables, isStored: () throws -> Bool) rethrows -> Bool {
        if visitorsComplete { return visitors.insert(visitor, in: &tables) }
        guard !visitors.contains(max(1, visitor), in: tables) else { return false }
        let stored = try isStored()
        _ = visitors.insert(visitor, in: &tables)
        return !stored
    }
}
