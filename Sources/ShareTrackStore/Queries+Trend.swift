import ShareTrackCore

extension Queries {
    /// Counter sums per hour bucket over the attributed rows `filter` selects, oldest first; hours
    /// without counters are left out.
    func trend(_ filter: QueryFilter) throws -> [TrendRow] {
        let (from, values) = Self.text.attributed(filter)
        return try rows(Self.text.trend(from: from), values) { TrendRow(row: $0) }
    }
}
