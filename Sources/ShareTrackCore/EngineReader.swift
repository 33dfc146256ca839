/// What the engine reads from the store when its caches miss (in the daemon, `TokenReader`).
///
/// The engine asks only for keys the store's tables are up to date for: a token or producer that
/// a batch not yet applied has touched is always in its cache.
public protocol EngineReader {
    /// The token's state: whether its share is recorded, and its stored visitors (all of them, or
    /// only some, marked `visitorsComplete == false`).
    func token(_ token: String) throws -> TokenState
    /// Whether the store holds `visitor` for `token` (asked only of a state with some visitors).
    func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool
    /// The producer's stored state; `nil` for one never seen.
    func source(_ source: String) throws -> SourceState?
}
