import ShareTrackCore

extension QueryText {
    /// The group table `tiers` counts distinct advocates in over all time, for a filter of share
    /// attributes (no advocate): each of its rows has counter rows (a group row is added with the
    /// first counter row of its attributes, and counters never go back to zero), so its distinct
    /// (tier, advocate) pairs are those of the counter rows.
    public static func advocateGroups(_ filter: QueryFilter) -> GroupTable {
        filter.venue == nil && filter.campaign == nil ? .advocates : .shares
    }

    /// Per tier, the number of distinct advocates among the stored groups `filter` selects (all
    /// time; no advocate): read in (tier, advocate) order where an index has it. `Queries.tiers`
    /// reads it where `TierAdvocateCounts` does not keep the counts, `SharedQueries` at a venue or
    /// in a campaign (`CountedGroups`).
    public func storedAdvocatesPerTier(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return (advocatesPerTier(from: "\(Self.advocateGroups(filter).table) WHERE \(conditions)"), values)
    }

    /// Per tier, the number of distinct advocates among the rows of `from` (a FROM clause with
    /// `tier` and `advocate`).
    public func advocatesPerTier(from: String) -> String {
        "SELECT tier, COUNT(*) FROM (SELECT DISTINCT tier, advocate FROM \(from)) AS pairs GROUP BY tier"
    }

    /// A row if a stored group `filter` selects (all time; no advocate) has the advocate and tier
    /// of the last two parameters: whether a live (tier, advocate) pair of `tiers` is counted among
    /// the stored ones already.
    func storedPair(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT 1 FROM \(Self.advocateGroups(filter).table) WHERE \(conditions)
                AND advocate = \(dialect.placeholder(values.count + 1)) AND tier = \(dialect.placeholder(values.count + 2)) LIMIT 1
            """, values)
    }
}
