/// Values remembered for the keys used recently, in bounded memory, in two generations: a key is
/// looked up in `recent`, then in `older` (and moved to `recent`); when `recent` holds
/// `capacity / 2` keys it becomes `older`, and the keys not used since are dropped. So the keys a
/// stream of batches keeps using stay (with one table emptied when full, nearly every lookup after
/// that missed).
struct RecentMemo<Key: Hashable, Value> {
    private let capacity: Int
    private var recent: [Key: Value] = [:]
    private var older: [Key: Value] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The keys remembered.
    var count: Int { recent.count + older.count }

    /// The value remembered for `key` (which moves to `recent`).
    mutating func value(for key: Key) -> Value? {
        if let value = recent[key] { return value }
        guard let value = older[key] else { return nil }
        remember(value, for: key)
        return value
    }

    mutating func remember(_ value: Value, for key: Key) {
        if recent.count >= capacity / 2 {
            older = recent
            recent = [:]
            recent.reserveCapacity(capacity / 2)
        }
        recent[key] = value
    }

    mutating func forget() {
        recent.removeAll()
        older.removeAll()
    }
}
