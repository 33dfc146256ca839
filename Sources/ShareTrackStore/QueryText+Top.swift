import ShareTrackCore

extension QueryText {
    /// `top` over all time for a filter `advocateRollup` takes, when no advocate has more than one
    /// row in the all-time rollup read (`advocateRollup`: always without a filter or with a venue
    /// alone, else `AdvocateGroupCount`): each row is then an advocate's stored total, so the first `limit`
    /// rows in ranking order (ties by advocate, as the answer orders them) of the advocates without
    /// live groups are all the answer can take of theirs; every advocate with live groups gets its
    /// stored row plus its live groups. SQLite reads the rollup in id order with a sorter that
    /// keeps `limit` rows, instead of grouping every row by advocate.
    func topOfSingleGroups(_ filter: QueryFilter, ranking: Ranking, limit: Int) -> (sql: String, values: [SQLValue]) {
        let rollup = Self.advocateRollup(filter)
        let (conditions, values) = conditions(filter)
        let counters = Rows.counterNames.joined(separator: ", ")
        let rowKey = sortKey(ranking) { $0 }
        var parts = ["""
            SELECT * FROM (SELECT advocate, \(counters) FROM \(Self.advocateRollupRows(filter))
                WHERE \(conditions)\(dialect.liveGroups.map { " AND advocate NOT IN (SELECT advocate FROM \($0))" } ?? "")
                ORDER BY \(rowKey) DESC, advocate\(dialect.bytewise) LIMIT \(limit)) AS ranked
            """]
        var liveValues: [SQLValue] = []
        if let live = dialect.liveGroups {
            let (liveConditions, values) = self.conditions(filter, first: values.count + 1)
            liveValues = values
            parts.append("""
                SELECT advocate, \(counters) FROM \(rollup.groups.table) JOIN \(rollup.table) USING (id)
                    WHERE \(liveConditions) AND advocate IN (SELECT advocate FROM \(live))
                """)
            parts.append("SELECT advocate, \(counters) FROM \(live)")
        }
        let from = "(" + parts.joined(separator: "\nUNION ALL ") + ") AS rolled_up"
        return (groups("advocate", from: from, countAdvocates: false, ranking: ranking, limit: limit), values + liveValues)
    }
}

extension QueryText {
    /// The all-time rollup `top` reads for `filter` (a venue alone, or a network and tier at most):
    /// one row per advocate (`Rollup.advocateTotals`) without a filter, one per advocate and venue
    /// (`Rollup.venueAdvocates`) with a venue, else one per advocate, network and tier.
    static func advocateRollup(_ filter: QueryFilter) -> Rollup {
        Rollup.covering(filteredColumns(filter).union(["advocate"]), hourly: false)
    }

    /// Whether the rollup `top` reads for `filter` has one row per advocate that the filter selects.
    static func readsOneRowPerAdvocate(_ filter: QueryFilter) -> Bool {
        Set(advocateRollup(filter).groups.attributes).isSubset(of: filteredColumns(filter).union(["advocate"]))
    }

    private static func filteredColumns(_ filter: QueryFilter) -> Set<String> {
        Set([filter.venue.map { _ in "venue" }, filter.network.map { _ in "network" }, filter.tier.map { _ in "tier" }]
            .compactMap { $0 })
    }

    /// The all-time advocate rollup `filter` selects joined with its groups, in the order SQLite
    /// reads them best: a venue's groups first (by their venue index), else the rollup in id order.
    private static func advocateRollupRows(_ filter: QueryFilter) -> String {
        let rollup = advocateRollup(filter)
        return filter.venue == nil ? "\(rollup.table) CROSS JOIN \(rollup.groups.table) USING (id)"
            : "\(rollup.groups.table) CROSS JOIN \(rollup.table) USING (id)"
    }

    /// The first `limit` rows of the all-time advocate rollup that `filter` selects, in `ranking`'s
    /// order of a row (ties by advocate): the advocate, then the counters.
    func rankedAdvocateRows(_ filter: QueryFilter, ranking: Ranking, limit: Int) -> (sql: String, values: [SQLValue]) {
        let (sql, values) = advocateRows(filter)
        return (sql + "\nORDER BY \(sortKey(ranking) { $0 }) DESC, advocate\(dialect.bytewise) LIMIT \(limit)", values)
    }

    /// The rows of the all-time advocate rollup that `filter` selects: the advocate, then the counters.
    func advocateRows(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT advocate, \(Rows.counterNames.joined(separator: ", "))
            FROM \(Self.advocateRollupRows(filter)) WHERE \(conditions)
            """, values)
    }

    /// The counters of one advocate's rows of the all-time advocate rollup that `filter` selects;
    /// the advocate is the last parameter.
    func advocateRow(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let rollup = Self.advocateRollup(filter)
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT \(sums) FROM \(rollup.groups.table) JOIN \(rollup.table) USING (id)
            WHERE \(conditions) AND advocate = \(dialect.placeholder(values.count + 1))
            """, values)
    }
}
