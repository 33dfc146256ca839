import ShareTrackCore

extension Queries {
    /// Counter sums per hour bucket over the attributed rows `filter` selects, oldest first; hours
    /// without counters are left out.
    func trend(_ filter: QueryFilter) throws -> [TrendRow] {
        let (sql, values) = Self.text.trend(filter)
        return try rows(sql, values) { TrendRow(row: $0) }
    }
}
