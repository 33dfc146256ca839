import ShareTrackCore

extension QueryText {
    /// `top` over all time for a filter of network and tier at most, when no advocate has more than
    /// one row in the all-time rollup read (`advocateRollup`: always without a filter, else
    /// `AdvocateGroupCount`): each row is then an advocate's stored total, so the first `limit`
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
            SELECT * FROM (SELECT advocate, \(counters) FROM \(rollup.table) CROSS JOIN \(rollup.groups.table) USING (id)
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
    /// The all-time rollup `top` reads for `filter` (network and tier at most): one row per
    /// advocate (`Rollup.advocateTotals`) without a filter, else one per advocate, network and tier.
    static func advocateRollup(_ filter: QueryFilter) -> Rollup {
        let filtered = [filter.network.map { _ in "network" }, filter.tier.map { _ in "tier" }].compactMap { $0 }
        return Rollup.covering(Set(["advocate"] + filtered), hourly: false)
    }

    /// The first `limit` rows of the all-time advocate rollup that `filter` selects (network and
    /// tier at most), in `ranking`'s order of a row (ties by advocate): the advocate, then the
    /// counters.
    func rankedAdvocateRows(_ filter: QueryFilter, ranking: Ranking, limit: Int) -> (sql: String, values: [SQLValue]) {
        let (sql, values) = advocateRows(filter)
        return (sql + "\nORDER BY \(sortKey(ranking) { $0 }) DESC, advocate\(dialect.bytewise) LIMIT \(limit)", values)
    }

    /// The rows of the all-time advocate rollup that `filter` selects (network and tier at most):
    /// the advocate, then the counters.
    func advocateRows(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let rollup = Self.advocateRollup(filter)
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT advocate, \(Rows.counterNames.joined(separator: ", "))
            FROM \(rollup.table) CROSS JOIN \(rollup.groups.table) USING (id) WHERE \(conditions)
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
