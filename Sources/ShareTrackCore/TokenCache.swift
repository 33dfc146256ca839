/// A bounded cache of token states, approximately least-recently-used, in two generations.
///
/// Lookups hit `hot`, or promote an entry from `cold`, or load it from the store. `rotate()` drops
/// `cold` and demotes `hot` once `hot` holds half the capacity. The engine rotates only right after
/// a flush commits; every entry touched since the previous rotation is in `hot`, and all the
/// changes of the still-uncommitted batch were made after it, so no entry that the database does
/// not yet reflect is ever dropped. Memory is bounded by `capacity` plus the tokens of one batch.
struct TokenCache: Sendable {
    let capacity: Int
    private var hot: [String: TokenState] = [:]
    private var cold: [String: TokenState] = [:]

    init(capacity: Int) {
        self.capacity = max(capacity, 2)
    }

    var count: Int { hot.count + cold.count }

    /// Runs `body` on the token's state, loading it with `load` when it is not cached.
    mutating func update<Result>(
        _ token: String,
        load: (String) throws -> TokenState,
        _ body: (inout TokenState) -> Result
    ) rethrows -> Result {
        if let index = hot.index(forKey: token) {
            return body(&hot.values[index])
        }
        // (An empty `cold` — until the cache first fills — costs no hashing.)
        var state = try (cold.isEmpty ? nil : cold.removeValue(forKey: token)) ?? load(token)
        let result = body(&state)
        hot[token] = state
        return result
    }

    /// Removes `visitor` from every cached token's visitors.
    mutating func removeVisitor(_ visitor: UInt64) {
        for index in hot.values.indices { hot.values[index].visitors.remove(visitor) }
        for index in cold.values.indices { cold.values[index].visitors.remove(visitor) }
    }

    /// Removes `visitor` from `token`'s visitors, if the token is cached.
    mutating func removeVisitor(_ visitor: UInt64, of token: String) {
        if let index = hot.index(forKey: token) { hot.values[index].visitors.remove(visitor) }
        if let index = cold.index(forKey: token) { cold.values[index].visitors.remove(visitor) }
    }

    mutating func rotate() {
        guard hot.count >= capacity / 2 else { return }
        cold = hot
        hot = Dictionary(minimumCapacity: capacity / 2)
    }
}
