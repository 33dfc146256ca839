import ShareTrackCore

extension Queries {
    /// Counter sums per hour bucket over the attributed rows `filter` selects, oldest first; hours
    /// without counters are left out.
    func trend(_ filter: QueryFilter, _ source: Source) throws -> [TrendRow] {
        let (from, values) = source.sql(filter, columns: ["hour"], Self.text)
        return try rows(Self.text.trend(from: from), values) { TrendRow(row: $0) }
    }
}
