/// A bounded cache of the engine's per-key state (token states, producers), approximately
/// least-recently-used, in two generations.
///
/// Lookups hit `hot`, or promote an entry from `cold`, or load it from the store. `rotate()` drops
/// `cold` and demotes `hot` once `hot` holds half the capacity. The engine rotates only right after
/// a batch is applied to the store's tables, and only when every entry touched since the previous
/// rotation is in `hot` and every still-unapplied change was made after it, so no entry that the
/// database does not yet reflect is ever dropped. Memory is bounded by `capacity` plus the keys of
/// the batches not applied yet.
struct GenerationCache<Value: Sendable>: Sendable {
    let capacity: Int
    private var hot: [String: Value] = [:]
    private var cold: [String: Value] = [:]
    /// The last key `slot(of:load:)` found and where, while `hot`'s keys have not changed since: a
    /// producer's lines come one after another, and its slot is then found again without hashing
    /// its source (about 3% of ingest's CPU). Cleared by every insertion into `hot` and by `rotate()`.
    private var lastSlot: (key: String, slot: Slot)?

    init(capacity: Int) {
        self.capacity = max(capacity, 2)
    }

    var count: Int { hot.count + cold.count }

    /// The key's value if it is cached (without making it recently used).
    subscript(key: String) -> Value? { hot[key] ?? cold[key] }

    /// Runs `body` on the key's value, loading it with `load` when it is not cached.
    mutating func update<Result>(
        _ key: String,
        load: (String) throws -> Value,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        try updateIfFound(key, load: { try load($0) }, body)!
    }

    /// Runs `body` on the key's value if it is cached, or else if `load` finds it (it is then
    /// cached); `nil` when neither has it, and then nothing is cached for the key.
    mutating func updateIfFound<Result>(
        _ key: String,
        load: (String) throws -> Value?,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result? {
        if let index = hot.index(forKey: key) {
            return try body(&hot.values[index])
        }
        // (An empty `cold` — until the cache first fills — costs no hashing.)
        guard var value = try (cold.isEmpty ? nil : cold.removeValue(forKey: key)) ?? load(key) else { return nil }
        defer { insert(value, for: key) }
        return try body(&value)
    }

    /// Where a cached value is (see `slot(of:load:)`).
    typealias Slot = Dictionary<String, Value>.Index

    /// The key's place in the cache, loading its value with `load` when it is not cached: one
    /// lookup for several accesses through `self[slot]`. The slot stays valid until another key
    /// is cached or the cache rotates.
    mutating func slot(of key: String, load: (String) throws -> Value) rethrows -> Slot {
        if let lastSlot, lastSlot.key == key { return lastSlot.slot }
        var slot = hot.index(forKey: key)
        if slot == nil {
            insert(try (cold.isEmpty ? nil : cold.removeValue(forKey: key)) ?? load(key), for: key)
            slot = hot.index(forKey: key)
        }
        lastSlot = (key, slot!)
        return slot!
    }

    private mutating func insert(_ value: Value, for key: String) {
        lastSlot = nil
        hot[key] = value
    }

    subscript(slot: Slot) -> Value {
        get { hot.values[slot] }
        set { hot.values[slot] = newValue }
    }

    /// Runs `body` on every cached value.
    mutating func forEach(_ body: (inout Value) -> Void) {
        for index in hot.values.indices { body(&hot.values[index]) }
        for index in cold.values.indices { body(&cold.values[index]) }
    }

    mutating func rotate() {
        guard hot.count >= capacity / 2 else { return }
        lastSlot = nil
        cold = hot
        hot = Dictionary(minimumCapacity: capacity / 2)
    }
}
