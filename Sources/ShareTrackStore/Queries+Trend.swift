import ShareTrackCore

extension Queries {
    /// Counter sums per hour bucket over the attributed rows `filter` selects, oldest first; hours
    /// without counters are left out.
    func trend(_ filter: QueryFilter) throws -> [TrendRow] {
        let (from, values) = Self.text.attributed(filter)
        return try rows("SELECT hour, \(Self.text.sums) FROM \(from) GROUP BY hour ORDER BY hour", values) { row in
            TrendRow(hour: RFC3339.format(row.int64(0) * 3600), totals: CounterTotals(row.counters(at: 1)))
        }
    }
}
