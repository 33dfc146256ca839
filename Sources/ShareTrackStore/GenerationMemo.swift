/// Values looked up in the tables, remembered while they hold the same generation: only applying
/// a batch changes what they hold, and an answer's read transaction sees one generation. Emptied
/// when a later answer sees another one.
struct GenerationMemo<Key: Hashable, Value> {
    private var generation: UInt64 = 0
    private var values: [Key: Value] = [:]

    /// Forgets every value if the tables now hold `generation`.
    mutating func see(_ generation: UInt64) {
        guard generation != self.generation else { return }
        self.generation = generation
        values.removeAll()
    }

    subscript(key: Key) -> Value? {
        get { values[key] }
        set { values[key] = newValue }
    }
}
