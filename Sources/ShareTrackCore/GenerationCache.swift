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
    /// The values by key (`KeyedTable`); a value in `cold` is `nil` once it has moved to `hot`.
    private var hot = KeyedTable<String, Value?>()
    private var cold = KeyedTable<String, Value?>()
    /// How many of `cold`'s values have moved to `hot`.
    private var moved = 0
    /// The last key `slot(of:load:)` found and where (a slot stays valid until a rotation): a
    /// producer's lines come one after another, and its slot is then found again without hashing
    /// its source (about 3% of ingest's CPU). Cleared by `rotate()`.
    private var lastSlot: (key: String, slot: Slot)?

    init(capacity: Int) {
        self.capacity = max(capacity, 2)
    }

    var count: Int { hot.count + cold.count - moved }

    /// The key's value if it is cached (without making it recently used).
    subscript(key: String) -> Value? {
        if let value = hot[key] { return value }
        return cold[key] ?? nil
    }

    /// Runs `body` on the key's value, loading it with `load` when it is not cached.
    mutating func update<Result>(
        _ key: String,
        load: (String) throws -> Value,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        try body(&self[slot(of: key, load: load)])
    }

    /// Runs `body` on the key's value if it is cached, or else if `load` finds it (it is then
    /// cached); `nil` when neither has it, and then nothing is cached for the key.
    mutating func updateIfFound<Result>(
        _ key: String,
        load: (String) throws -> Value?,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result? {
        guard let slot = try cachedSlot(of: key) ?? load(key).map({ insert($0, for: key) }) else { return nil }
        return try body(&self[slot])
    }

    /// Where a cached value is (see `slot(of:load:)`): its index in `hot`.
    typealias Slot = Int

    /// The key's place in the cache, loading its value with `load` when it is not cached: one
    /// lookup for several accesses through `self[slot]`. The slot stays valid until the cache
    /// rotates.
    mutating func slot(of key: String, load: (String) throws -> Value) rethrows -> Slot {
        try cachedSlot(of: key) ?? insert(load(key), for: key)
    }

    /// The key's place if it is cached (a value in `cold` moves to `hot`); nil if it is not.
    mutating func cachedSlot(of key: String) -> Slot? {
        if let lastSlot, lastSlot.key == key { return lastSlot.slot }
        var slot = hot.index(of: key)
        // (An empty `cold` — until the cache first fills — costs no hashing.)
        if slot == nil, !cold.isEmpty, let index = cold.index(of: key), let value = cold[valueAt: index] {
            cold[valueAt: index] = nil
            moved += 1
            slot = insert(value, for: key)
        }
        if let slot { lastSlot = (key, slot) }
        return slot
    }

    /// Caches `value` for `key` (not cached yet); returns its place.
    private mutating func insert(_ value: Value, for key: String) -> Slot {
        hot.index(of: key) { value }.index
    }

    subscript(slot: Slot) -> Value {
        get { hot[valueAt: slot]! }
        // In place, not copied out and back: the token cache changes a state on every line.
        _modify { yield &hot[valueAt: slot]! }
    }

    /// Runs `body` on every cached value, with `context` (what the values hold parts of).
    mutating func forEach<Context>(with context: inout Context, _ body: (inout Value, inout Context) -> Void) {
        for index in hot.entries.indices { body(&hot[valueAt: index]!, &context) }
        for index in cold.entries.indices where cold[valueAt: index] != nil { body(&cold[valueAt: index]!, &context) }
    }

    /// Drops `cold` and demotes `hot`, once `hot` holds half the capacity; returns what it dropped.
    @discardableResult
    mutating func rotate() -> some Sequence<(key: String, value: Value)> {
        var dropped = KeyedTable<String, Value?>()
        if hot.count >= capacity / 2 {
            lastSlot = nil
            dropped = cold
            cold = hot
            moved = 0
            hot = KeyedTable()
            hot.reserveCapacity(capacity / 2)
        }
        return dropped.entries.lazy.compactMap { entry in entry.value.map { (key: entry.key, value: $0) } }
    }
}
