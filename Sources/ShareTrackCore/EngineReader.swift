/// What the engine reads from the store when its caches miss (in the daemon, `TokenReader`).
///
/// The engine asks only for keys the store's tables are up to date for: a token or producer that
/// a batch not yet applied has touched is always in its cache.
public protocol EngineReader {
    /// What the store holds of the token.
    func token(_ token: String) throws -> StoredToken
    /// Whether the store holds `visitor` for `token` (asked only of a state with some visitors).
    func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool
    /// The producer's stored state; `nil` for one never seen.
    func source(_ source: String) throws -> SourceState?
}

/// What the store holds of a token: whether its share is recorded, and its visitors' keyed hashes
/// (`VisitorKey`): all of them, or only some (`visitorsComplete == false`).
public struct StoredToken: Sendable {
    public var shared: Bool
    public var visitors: [UInt64]
    public var visitorsComplete: Bool

    public init(shared: Bool, visitors: [UInt64] = [], complete: Bool = true) {
        self.shared = shared
        self.visitors = visitors
        self.visitorsComplete = complete
    }
}
