import ShareTrackCore

/// A token's counter deltas in a batch while it is shared nowhere, per hour: nearly always one
/// hour's, kept without a table of its own.
struct OrphanRows {
    private var hour: Int64
    private var counters: Counters
    private var otherHours: [Int64: Counters] = [:]

    init(_ counters: Counters, at hour: Int64) {
        self.hour = hour
        self.counters = counters
    }

    mutating func add(_ delta: Counters, at hour: Int64) {
        if hour == self.hour {
            counters.add(delta)
        } else {
            otherHours[hour, default: Counters()].add(delta)
        }
    }

    /// Calls `body` with each hour and its sums.
    func forEach(_ body: (Int64, Counters) -> Void) {
        body(hour, counters)
        for (hour, counters) in otherHours { body(hour, counters) }
    }
}
