/// The engine's token states, a `GenerationCache`, and the `VisitorTables` their visitors past the
/// first two are in: a state dropped from the cache gives its table back.
struct TokenCache: Sendable {
    private var states: GenerationCache<TokenState>
    private(set) var tables = VisitorTables()

    init(capacity: Int) {
        states = GenerationCache(capacity: capacity)
    }

    var count: Int { states.count }

    /// Runs `body` on the token's state, loading it with `load` when it is not cached.
    mutating func update<Result>(
        _ token: String,
        load: (String) throws -> StoredToken,
        _ body: (inout TokenState, inout VisitorTables) throws -> Result
    ) rethrows -> Result {
        let slot = try states.slot(of: token) { try TokenState(load($0), in: &tables) }
        return try body(&states[slot], &tables)
    }

    /// Forgets `visitor` in every state (an erased visitor).
    mutating func forget(_ visitor: UInt64) {
        states.forEach(with: &tables) { state, tables in state.visitors.remove(visitor, from: &tables) }
    }

    /// Forgets `visitor` of `token`, if the token is cached.
    mutating func forget(_ visitor: UInt64, of token: String) {
        guard let slot = states.cachedSlot(of: token) else { return }
        states[slot].visitors.remove(visitor, from: &tables)
    }

    /// Rotates the cache (`GenerationCache.rotate()`), giving back the dropped states' tables.
    mutating func rotate() {
        for (_, state) in states.rotate() { state.visitors.release(to: &tables) }
    }
}
