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
            let needed = Self.attributes(columns, filter)
            let ranged = filter.isRanged
            let (inside, storedHours) = (Self.hoursInside(filter, of: stored), Int64(stored?.count ?? 0))
            if ranged && !byHour && Self.holdsMostHours(filter, of: stored) {
                return text.rollup(Rollup.covering(needed, hourly: false, building: building),
                                   less: Self.readable(Rollup.covering(needed, hourly: true, building: building), filter,
                                                       hours: storedHours - inside),
                                   filter, columns: columns)
            }
            let rollup = Rollup.covering(needed, hourly: ranged || byHour, building: building)
            return text.rollup(rollup.hourly ? Self.readable(rollup, filter, hours: ranged ? inside : storedHours) : rollup,
                               filter, columns: columns)
        }
    }

    /// The most hours over which a filter naming a venue or a campaign reads the rows of an hourly
    /// rollup that hold their attributes alone (`readable(_:_:hours:)`).
    static let placeRowsAloneHours = 48

    /// `rollup`, hourly, as a query reads its rows over `hours` of them for `filter`: where the rows
    /// hold their groups' attributes (the shared store's `rollup_hour_groups`), alone only where
    /// that reads fewer rows than the filter's groups would, else joined with its groups
    /// (`Rollup.readJoined`). An advocate's few groups are found by their key, and a venue's or a
    /// campaign's by their index, each group's hours then by key: over more than
    /// `placeRowsAloneHours` that costs less than every row of the range (at 2M shares a venue's
    /// nano tier over 3 days 117 ms joined, 522 alone; over the last 24 hours 113-150 joined, 53-74
    /// alone; docs/shared-store.md).
    static func readable(_ rollup: Rollup, _ filter: QueryFilter, hours: Int64) -> Rollup {
        let place = filter.venue != nil || filter.campaign != nil
        return filter.advocate != nil || place && hours > placeRowsAloneHours ? rollup.readJoined : rollup
    }

    /// The hourly rollup whose rows a sum over `filter`'s range per `columns` adds up in memory
    /// (`RangeSums`), and the first and last hour the hourly rollups hold: with the rollups, over a
    /// range, without an advocate (whose few groups SQL finds by their key); but not where the
    /// range holds most of the stored hours and leaves out `hoursTakenAwayBySQL` of them or fewer,
    /// and an all-time rollup smaller than the share groups covers the answer: SQL then takes those
    /// hours' rows away from it (`rollup(_:less:_:columns:)`).
    func summedInMemory(_ filter: QueryFilter, columns: [String], hoursTakenAwayBySQL: Int64)
        -> (hourly: Rollup, stored: ClosedRange<Int64>?)?
    {
        guard case .rollups(let stored, let building) = self, filter.isRanged, filter.advocate == nil else { return nil }
        let attributes = Self.attributes(columns, filter)
        let allTime = Rollup.covering(attributes, hourly: false, building: building)
        let outside = Int64(stored?.count ?? 0) - Self.hoursInside(filter, of: stored)
        if Self.holdsMostHours(filter, of: stored) && outside <= hoursTakenAwayBySQL && allTime != allTime.source {
            return nil
        }
        return (Rollup.covering(attributes, hourly: true, building: building), stored)
    }

    /// The most hours outside a range that holds most of the stored hours whose rows SQL takes
    /// away from an all-time rollup smaller than the share groups rather than `RangeSums` reading
    /// every group: at 2M shares over 89 of 90 days (31 hours outside) `tiers` took 460 ms in SQL
    /// (from `rollup_advocates`), 541 in memory, with a network 122 and 266; over 60 days 8.8 s
    /// and 1.3 s. With a campaign, whose all-time rollup covering `tiers` is the share groups',
    /// 1.3 s and 0.27 s over 89 days (docs/benchmarks.md, session 61).
    static let defaultHoursTakenAwayBySQL: Int64 = 48

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
        guard case .rollups(let stored, _) = self, filter.isRanged, !Self.holdsMostHours(filter, of: stored) else {
            return nil
        }
        return (filter.sinceHour ?? .min)..<(filter.untilHour ?? .max)
    }

    /// Whether `filter`'s range holds more of the `stored` hours than it leaves out.
    static func holdsMostHours(_ filter: QueryFilter, of stored: ClosedRange<Int64>?) -> Bool {
        guard let stored else { return false }
        let inside = hoursInside(filter, of: stored)
        return Int64(stored.count) - inside < inside
    }

    /// How many of the rollups' stored hours `filter`'s range holds (0 from the raw rows).
    public func hoursInside(_ filter: QueryFilter) -> Int64 {
        guard case .rollups(let stored, _) = self else { return 0 }
        return Self.hoursInside(filter, of: stored)
    }

    /// How many of the `stored` hours `filter`'s range holds (0 without stored hours).
    private static func hoursInside(_ filter: QueryFilter, of stored: ClosedRange<Int64>?) -> Int64 {
        guard let stored else { return 0 }
        let first = max(filter.sinceHour ?? .min, stored.lowerBound)
        let end = min(filter.untilHour ?? .max, stored.upperBound + 1)
        return max(0, end - first)
    }

    /// The group attributes a sum per `columns` over `filter` reads.
    private static func attributes(_ columns: [String], _ filter: QueryFilter) -> Set<String> {
        Set(columns).subtracting(["hour"]).union(attributeTerms(filter).filter { $0.value != nil }.map(\.column))
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
