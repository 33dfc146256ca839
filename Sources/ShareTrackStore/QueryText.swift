import ShareTrackCore

/// The SQL of the query commands, written once for the local database and the shared store: the
/// two read the same column names (`Rows`), and `dialect` supplies what differs. Each statement
/// takes the filter's parameters first (`conditions`), then its own.
public struct QueryText: Sendable {
    public let dialect: SQLDialect

    public init(_ dialect: SQLDialect) {
        self.dialect = dialect
    }

    /// The counters summed, in the order of `Rows.counterNames` (`value` in thousandths).
    var sums: String {
        "SUM(shares), SUM(reach), SUM(clicks), SUM(unique_clicks), SUM(bot_clicks), SUM(conversions), \(dialect.valueSum)"
    }

    /// The WHERE clause over the attributed rows that `filter` makes, with its parameters (the
    /// first numbered `first`). With an advocate, the other attributes' terms take no index: an
    /// advocate has few share groups, which every group table with an advocate finds first in its
    /// key, where an index by campaign (holding the network since schema version 17) would read
    /// every group of the campaign (at 2M shares, 10 ms for each advocate `top` looks up). Over a
    /// rollup whose rows repeat their attributes (`reading`), they keep their index: its key.
    func conditions(_ filter: QueryFilter, first: Int = 1, reading rollup: Rollup? = nil) -> (sql: String, values: [SQLValue]) {
        let other = filter.advocate == nil || rollup?.repeatsAttributes(dialect) == true ? "" : dialect.unindexed
        let terms: [(String, SQLValue?)] = [
            ("advocate", filter.advocate.map { .text($0) }),
            (other + "venue", filter.venue.map { .text($0) }),
            (other + "campaign", filter.campaign.map { .text($0) }),
            (other + "network", filter.network.map { .text($0) }),
            (other + "tier", filter.tier.map { .text($0.rawValue) }),
            ("hour >=", filter.sinceHour.map { .integer($0) }),
            ("hour <", filter.untilHour.map { .integer($0) }),
        ].filter { $0.1 != nil }
        let sql = terms.enumerated().map { index, term in
            (term.0.hasPrefix("hour") ? term.0 : term.0 + " =") + " " + dialect.placeholder(first + index)
        }
        return (sql.isEmpty ? "true" : sql.joined(separator: " AND "), terms.compactMap(\.1))
    }

    /// The attributed counter rows `filter` selects, as a FROM clause.
    public func attributed(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return ("\(dialect.attributed) WHERE \(conditions)", values)
    }

    /// The rows of `rollup` that `filter` selects, with their groups' attributes, plus the live
    /// groups (filtered already) where the dialect has them: a FROM clause with `columns` and the
    /// counters.
    func rollup(_ rollup: Rollup, _ filter: QueryFilter, columns: [String]) -> (sql: String, values: [SQLValue]) {
        let selected = (columns + Rows.counterNames).joined(separator: ", ")
        guard dialect.sumsRangesPerGroupFirst, filter.advocate == nil, rollup.hourly, !rollup.groups.attributes.isEmpty,
              !columns.contains("hour"), filter.isRanged else {
            let (conditions, values) = conditions(filter, reading: rollup)
            return ("(SELECT \(selected) FROM \(withGroups(rollup, filter, columns)) WHERE \(conditions)"
                    + "\(liveGroups(selected, where: conditions))) AS rolled_up", values)
        }
        return summedPerGroup(rollup, filter, selected: selected)
    }

    /// `rollup(_:_:columns:)` for an hourly rollup over a range, not per hour, where the dialect
    /// `sumsRangesPerGroupFirst`: the range's rows are summed per group first, and only then joined
    /// with their groups' attributes, so that each group's attributes are looked up once instead of
    /// once per hour (24 h at 2M shares: 71,000 rows, 24,000 groups; docs/benchmarks.md, round 8).
    /// Not for an advocate, whose few groups are found by their key and their hours by `(id,
    /// hour)`: summing every group of the range first took an advocate's answer over 30 days at 2M
    /// shares from 8 ms to about a second per statement. The range's parameters come first here.
    private func summedPerGroup(_ rollup: Rollup, _ filter: QueryFilter, selected: String)
        -> (sql: String, values: [SQLValue])
    {
        let range = QueryFilter(since: filter.since, until: filter.until)
        let attributes = filter.allTime
        let (inRange, rangeValues) = conditions(range)
        let (selectedBy, attributeValues) = conditions(attributes, first: rangeValues.count + 1)
        let sums = Rows.counterNames.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ")
        // `id + 0`: grouped by `id` itself, SQLite would walk the whole `(id, hour)` index in id
        // order rather than the range of the primary key.
        return ("""
            (SELECT \(selected) FROM (SELECT id + 0 AS id, \(sums) FROM \(rollup.table) WHERE \(inRange) GROUP BY 1)
                AS \(rollup.table) JOIN \(rollup.groups.table) USING (id) WHERE \(selectedBy)\(
                    liveGroups(selected, where: "\(selectedBy) AND \(inRange)"))) AS rolled_up
            """, rangeValues + attributeValues)
    }

    /// `rollup` joined with its groups' attributes, or alone where `filter` and `columns` name
    /// none (a trend of every group reads the hourly rows only).
    private func withGroups(_ rollup: Rollup, _ filter: QueryFilter, _ columns: [String]) -> String {
        let attributes = [filter.advocate, filter.venue, filter.campaign, filter.network, filter.tier?.rawValue]
        return attributes.allSatisfy({ $0 == nil }) && columns.allSatisfy({ $0 == "hour" })
            ? rollup.table : rollup.withAttributes(dialect)
    }

    /// The same rows as `rollup(hourly, filter, columns:)` summed per `columns`, read the other way
    /// round: the all-time rollup `all` less the hours of `hourly` outside `filter`'s range, plus
    /// the live groups; the sums that are zero (no counter row in the range: every counter row has a
    /// non-zero counter, and none is negative) left out. Cheaper when the range holds most hours.
    func rollup(_ all: Rollup, less hourly: Rollup, _ filter: QueryFilter, columns: [String])
        -> (sql: String, values: [SQLValue])
    {
        let attributes = filter.allTime
        let (allConditions, allValues) = conditions(attributes, reading: all)
        let (outsideConditions, outsideValues) = conditions(attributes, first: allValues.count + 1, reading: hourly)
        let next = allValues.count + outsideValues.count + 1
        let selected = (columns + Rows.counterNames).joined(separator: ", ")
        let negated = (columns + Rows.counterNames.map { "-\($0)" }).joined(separator: ", ")
        let sums = (columns + Rows.counterNames.map { "SUM(\($0)) AS \($0)" }).joined(separator: ", ")
        let nonZero = Rows.counterNames.map { "SUM(\($0)) <> 0" }.joined(separator: " OR ")
        return ("""
            (SELECT \(sums) FROM (
                SELECT \(selected) FROM \(all.withAttributes(dialect)) WHERE \(allConditions)
                UNION ALL SELECT \(negated) FROM \(hourly.withAttributes(dialect))
                WHERE \(outsideConditions) AND (hour < \(dialect.placeholder(next)) OR hour >= \(dialect.placeholder(next + 1)))\(
                    liveGroups(selected, where: "\(allConditions) AND hour >= \(dialect.placeholder(next)) AND hour < \(dialect.placeholder(next + 1))"))
            ) AS netted\(columns.isEmpty ? "" : " GROUP BY " + columns.joined(separator: ", ")) HAVING \(nonZero)) AS rolled_up
            """, allValues + outsideValues + Self.hourRange(filter))
    }

    /// `UNION ALL` the live groups' `selected` columns, where the dialect has live groups; `conditions`
    /// select them where the dialect filters them in the query (its placeholders, numbered, are
    /// the query's own again).
    private func liveGroups(_ selected: String, where conditions: String) -> String {
        dialect.liveGroups.map { " UNION ALL SELECT \(selected) FROM \($0)" + (dialect.filtersLiveGroups ? " WHERE \(conditions)" : "") } ?? ""
    }

    /// Per `column`: the number of distinct advocates (or NULL) and the sums, over `from`; ranked
    /// by `ranking` (highest first, then by the column) or ordered by the column.
    public func groups(_ column: String, from: String, countAdvocates: Bool, ranking: Ranking? = nil,
                       limit: Int? = nil) -> String {
        let order = (ranking.map { "\(sortKey($0)) DESC, " } ?? "") + column + dialect.bytewise
        return """
            SELECT \(column), \(countAdvocates ? "COUNT(DISTINCT advocate)" : "NULL"), \(sums)
            FROM \(from)
            GROUP BY \(column) ORDER BY \(order) \(limit.map { "LIMIT \($0)" } ?? "")
            """
    }

    /// The most stored hours `advocatesRankedFirst` serves: at 2M shares reading 30 days' rows
    /// (2M of them) is most of the time, and the second read cost more than the sums saved
    /// (2.0 → 2.2-2.3 s).
    public static let rankedFirstHours: Int64 = 7 * 24

    /// `groups` per advocate for `top`, ranked by the sort key alone and then summed in full for
    /// the first `limit` advocates only: over a range without a filter, where the rows hold about
    /// a third as many advocates as rows (at 2M shares, 19,814 in the last day's 62,115), reading
    /// the rows twice costs less than summing every counter of every advocate.
    public func advocatesRankedFirst(from: String, ranking: Ranking, limit: Int) -> String {
        let order = "\(sortKey(ranking)) DESC, advocate\(dialect.bytewise) LIMIT \(limit)"
        return """
            SELECT advocate, NULL, \(sums) FROM \(from)
            WHERE advocate IN (SELECT advocate FROM \(from) GROUP BY advocate ORDER BY \(order))
            GROUP BY advocate ORDER BY \(order)
            """
    }

    /// The sums over `from`.
    public func totals(from: String) -> String {
        "SELECT \(sums) FROM \(from)"
    }

    /// The shares `filter` selects with their sums, newest first: `Rows.shareColumns`, then the sums.
    public func recentShares(_ filter: QueryFilter, limit: Int) -> (sql: String, values: [SQLValue]) {
        let (from, values) = attributed(filter)
        return ("""
            SELECT \(Rows.shareColumns), \(sums) FROM \(from)
            GROUP BY \(Rows.shareColumns) ORDER BY time DESC, token\(dialect.bytewise) LIMIT \(limit)
            """, values)
    }

    /// A share's `Rows.shareColumns`; the token is the parameter.
    public var share: String {
        "SELECT \(Rows.shareColumns) FROM \(dialect.shares) WHERE token = \(dialect.placeholder(1))"
    }

    /// A row if the advocate has shared; the advocate is the parameter.
    public var advocateShared: String {
        "SELECT 1 FROM \(dialect.shares) WHERE advocate = \(dialect.placeholder(1)) LIMIT 1"
    }

    /// A row if the token has counters; the token is the parameter.
    public var tokenCounted: String {
        "SELECT 1 FROM \(dialect.counters) WHERE token = \(dialect.placeholder(1)) LIMIT 1"
    }

    /// A token's sums over the hours `since ..< until` (the parameters: token, since, until).
    public var shareCounters: String {
        "SELECT \(sums) FROM \(dialect.counters) WHERE token = \(dialect.placeholder(1)) "
            + "AND hour >= \(dialect.placeholder(2)) AND hour < \(dialect.placeholder(3))"
    }

    /// The hour range of `filter` as `shareCounters`' last two parameters.
    public static func hourRange(_ filter: QueryFilter) -> [SQLValue] {
        [.integer(filter.sinceHour ?? .min), .integer(filter.untilHour ?? .max)]
    }

    /// The aggregate `top` sorts on; `sum` makes the sum of a column (`{ $0 }`: one row's key).
    func sortKey(_ ranking: Ranking, sum: (String) -> String = { "SUM(\($0))" }) -> String {
        switch ranking {
        case .clicks: sum("clicks")
        case .uniqueClicks: sum("unique_clicks")
        case .shares: sum("shares")
        case .reach: sum("reach")
        case .engagement:
            "CASE WHEN \(sum("reach")) > 0 THEN CAST(\(sum("unique_clicks")) AS \(dialect.real)) / "
                + "CAST(\(sum("reach")) AS \(dialect.real)) ELSE 0.0 END"
        case .conversions: sum("conversions")
        case .value: sum("value")
        }
    }
}
