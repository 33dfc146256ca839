import ShareTrackCore

/// Where a query's sums come from: the raw counter rows joined with their shares, or the rollups.
/// Either way a query reads the same column names (`advocate`, `venue`, `campaign`, `network`,
/// `tier`, `hour` and the counters), so one SQL text serves both.
enum Source: Equatable {
    /// `temp.attributed`: every stored and live counter row with its share's attributes.
    case raw
    /// The first `Rollup` that has the columns the query needs, plus `temp.live_groups`.
    case rollups

    /// A FROM clause (with its parameters) of the rows `filter` selects, with at least `columns`
    /// and the counters.
    func sql(_ filter: QueryFilter, columns: [String]) -> (sql: String, values: [SQLValue]) {
        switch self {
        case .raw:
            return Queries.text.attributed(filter)
        case .rollups:
            let needed = Set(columns).union(Self.attributeTerms(filter).filter { $0.value != nil }.map(\.column))
            let rollup = Rollup.covering(needed, hourly: filter.sinceHour != nil || filter.untilHour != nil)
            return Queries.text.rollup(rollup, filter, columns: columns)
        }
    }

    private static func attributeTerms(_ filter: QueryFilter) -> [(column: String, value: SQLValue?)] {
        [
            ("advocate", filter.advocate.map { .text($0) }),
            ("venue", filter.venue.map { .text($0) }),
            ("campaign", filter.campaign.map { .text($0) }),
            ("network", filter.network.map { .text($0) }),
            ("tier", filter.tier.map { .text($0.rawValue) }),
        ]
    }
}
