import ShareTrackCore

extension QueryText {
    /// The group table `tiers` counts distinct advocates in over all time, for a filter of share
    /// attributes (no advocate): each of its rows has counter rows (a group row is added with the
    /// first counter row of its attributes, and counters never go back to zero), so its distinct
    /// (tier, advocate) pairs are those of the counter rows.
    static func advocateGroups(_ filter: QueryFilter) -> GroupTable {
        filter.venue == nil && filter.campaign == nil ? .advocates : .shares
    }

    /// Per tier, the number of distinct advocates among the stored groups `filter` selects (all
    /// time; no advocate): read in (tier, advocate) order where an index has it. `Queries.tiers`
    /// reads it where `TierAdvocateCounts` does not keep the counts.
    func storedAdvocatesPerTier(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT tier, COUNT(*) FROM (SELECT DISTINCT tier, advocate FROM \(Self.advocateGroups(filter).table)
                WHERE \(conditions)) AS pairs GROUP BY tier
            """, values)
    }

    /// Per tier, the number of live (tier, advocate) pairs (`LiveRows`' groups for `tiers`, one row
    /// per pair, filtered) that no stored group `filter` selects has; nil where the dialect has no
    /// live groups.
    func liveAdvocatesPerTier(_ filter: QueryFilter) -> (sql: String, values: [SQLValue])? {
        dialect.liveGroups.map { live in
            let (conditions, values) = conditions(filter)
            return ("""
                SELECT tier, COUNT(*) FROM \(live) AS live WHERE NOT EXISTS (
                    SELECT 1 FROM \(Self.advocateGroups(filter).table) AS stored
                    WHERE stored.advocate = live.advocate AND stored.tier = live.tier AND \(conditions))
                GROUP BY tier
                """, values)
        }
    }
}
