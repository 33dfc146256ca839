import ShareTrackCore

extension QueryText {
    /// `top` over the shared store at a place (a venue or a campaign) with a network or a tier,
    /// where no rows bound the answer (by engagement) or they do not decide: `topOfSingleGroups`
    /// ranking the place's rows of the advocates with a share group under `filter` (the all-time
    /// rollup per advocate and venue, or per advocate and campaign), as the daemon does
    /// (`Queries.topOfPlaceRows`). Such a row is the advocate's total under `filter` unless the
    /// advocate also has a share group at the place of another network or tier (`mixed`, from
    /// `advocatesMixedAtPlace`): those, with the logged advocates, are summed apart. Nil where
    /// `rankedPlace` does not serve.
    public func topOfPlaceRows(_ filter: QueryFilter, ranking: Ranking, limit: Int, over source: Source,
                               mixed: SeveralRows) -> (sql: String, values: [SQLValue])? {
        guard let place = rankedPlace(filter, over: source) else { return nil }
        return topOfSingleGroups(filter, ranking: ranking, limit: limit, several: mixed, place: place)
    }

    /// The advocates with a share group at `filter`'s place under `filter` and another there not
    /// under it (another network or tier): up to `limit` of them, how many, and their rows, as
    /// `advocatesWithSeveralRows` gives them (each has one row among the place's). Without a
    /// `LIMIT` on the advocates, which had PostgreSQL merge them with every share group in the
    /// unique index's order (a campaign's nano tier at 619,470 shares: 64 ms), it looks for the
    /// other groups in a hash of the place's (21-28 ms) or, for a tier with few groups, by each
    /// advocate's own (2 ms). Nil where `topOfPlaceRows` does not answer.
    public func advocatesMixedAtPlace(_ filter: QueryFilter, over source: Source,
                                      limit: Int) -> (sql: String, values: [SQLValue])? {
        guard let place = rankedPlace(filter, over: source) else { return nil }
        let under = conditions(filter)
        let there = conditions(place, first: under.values.count + 1)
        let attributes = conditions(QueryFilter(network: filter.network, tier: filter.tier),
                                    first: under.values.count + there.values.count + 1)
        let groups = GroupTable.shares.table
        return ("""
            SELECT coalesce((array_agg(advocate))[1:\(limit)], '{}')::text, count(*), count(*) FROM (
                SELECT advocate FROM \(groups) g WHERE \(under.sql) AND EXISTS (
                    SELECT 1 FROM \(groups) o WHERE o.advocate = g.advocate AND \(there.sql) AND NOT (\(attributes.sql)))
                GROUP BY advocate) AS mixed
            """, under.values + there.values + attributes.values)
    }

    /// The place whose rows the shared store ranks for `top` under `filter` (`topOfPlaceRows`):
    /// its venue or campaign where it names one with a network or a tier (`place(of:)`), the
    /// dialect's live groups are filtered like the rollups (the shared store's), and `source`
    /// reads both the place's rollup and `filter`'s.
    func rankedPlace(_ filter: QueryFilter, over source: Source) -> QueryFilter? {
        guard dialect.filtersLiveGroups, let place = Self.place(of: filter),
              source.reads(Self.advocateRollup(filter)), source.reads(Self.advocateRollup(place))
        else { return nil }
        return place
    }
}
