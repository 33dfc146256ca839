import ShareTrackCore

/// Where a query's sums come from: the raw counter rows joined with their shares, or the rollups.
/// Either way a query reads the same column names (`advocate`, `venue`, `campaign`, `network`,
/// `tier`, `hour` and the counters), so one SQL text serves both. The shared store's queries choose
/// the same way (`SharedQueries`), in their own dialect.
public enum Source: Equatable, Sendable {
    /// The dialect's `attributed`: every (stored and live) counter row with its share's attributes.
    case raw
    /// The first `Rollup` that has the columns the query needs, plus the dialect's live groups;
    /// `storedHours`: the first and last hour the hourly rollups hold (nil: none); `building`: the
    /// tables of the rollups being summed still (`RollupBuilds`), which are not read.
    case rollups(storedHours: ClosedRange<Int64>?, building: Set<String> = [])

    /// A FROM clause (with its parameters) of the rows `filter` selects, with at least `columns`
    /// and the counters (`hour` among `columns`: per hour), in `text`'s dialect.
    ///
    /// A range that holds most of the stored hours is read as the all-time rollup less the hours
    /// outside it (`QueryText.rollup(_:less:_:columns:)`): a report over the last 90 days then
    /// reads the groups, not every hour.
    public func sql(_ filter: QueryFilter, columns: [String], _ text: QueryText) -> (sql: String, values: [SQLValue]) {
        switch self {
        case .raw:
            return text.attributed(filter)
        case .rollups(let stored, let building):
            let byHour = columns.contains("hour")
            let needed = Set(columns).subtracting(["hour"])
                .union(Self.attributeTerms(filter).filter { $0.value != nil }.map(\.column))
            let ranged = Self.isRanged(filter)
            if ranged && !byHour && Self.holdsMostHours(filter, of: stored) {
                return text.rollup(Rollup.covering(needed, hourly: false, building: building),
                                   less: Rollup.covering(needed, hourly: true, building: building), filter,
                                   columns: columns)
            }
            return text.rollup(Rollup.covering(needed, hourly: ranged || byHour, building: building), filter,
                               columns: columns)
        }
    }

    /// Whether the sums may read `rollup` (all-time): not from the raw rows, nor while it is built.
    func reads(_ rollup: Rollup) -> Bool {
        reads(table: rollup.table)
    }

    /// Whether the sums may read `table`, a rollup or a table kept like one: not from the raw rows,
    /// nor while it is built.
    public func reads(table: String) -> Bool {
        guard case .rollups(_, let building) = self else { return false }
        return !building.contains(table)
    }

    /// The range of hours whose stored groups a sum over `filter`, not per hour, reads into memory
    /// (`StoredSums`), if any: with the rollups, a range that does not hold most of the stored hours
    /// (read hour by hour).
    func storedRange(_ filter: QueryFilter) -> Range<Int64>? {
        guard case .rollups(let stored, _) = self, Self.isRanged(filter), !Self.holdsMostHours(filter, of: stored) else {
            return nil
        }
        return (filter.sinceHour ?? .min)..<(filter.untilHour ?? .max)
    }

    private static func isRanged(_ filter: QueryFilter) -> Bool {
        filter.sinceHour != nil || filter.untilHour != nil
    }

    /// Whether `filter`'s range holds more of the `stored` hours than it leaves out.
    private static func holdsMostHours(_ filter: QueryFilter, of stored: ClosedRange<Int64>?) -> Bool {
        guard let stored else { return false }
        let first = max(filter.sinceHour ?? .min, stored.lowerBound)
        let end = min(filter.untilHour ?? .max, stored.upperBound + 1)
        let inside = max(0, end - first)
        return stored.upperBound + 1 - stored.lowerBound - inside < inside
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
