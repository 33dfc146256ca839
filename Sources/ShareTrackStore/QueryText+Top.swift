import ShareTrackCore

extension QueryText {
    /// `top` over all time for a filter `advocateRollup` takes, when no advocate has more than one
    /// row in the all-time rollup read (`advocateRollup`: always without a filter or with a venue
    /// alone, else `AdvocateGroupCount`): each row is then an advocate's stored total, so the first `limit`
    /// rows in ranking order (ties by advocate, as the answer orders them) of the advocates without
    /// live groups are all the answer can take of theirs; every advocate with live groups gets its
    /// stored row plus its live groups. SQLite reads the rollup in id order with a sorter that
    /// keeps `limit` rows, instead of grouping every row by advocate; PostgreSQL keeps them in a
    /// bounded heap. In the shared store, which keeps no count of each advocate's rows, a filter
    /// whose rollup may hold several rows of one advocate (a network or a tier alone) has those
    /// advocates summed apart as the logged advocates are (`several`); at a place with a network
    /// or a tier, the rows ranked are the `place`'s instead (`topOfPlaceRows`).
    func topOfSingleGroups(_ filter: QueryFilter, ranking: Ranking, limit: Int, several: SeveralRows? = nil,
                           place: QueryFilter? = nil) -> (sql: String, values: [SQLValue]) {
        let rollup = Self.advocateRollup(filter)
        let counters = Rows.counterNames.joined(separator: ", ")
        // The live groups, read once: SQLite's are a table, filtered already, left out of the
        // ranked rows by `NOT IN`; the shared store's (its rollup log joined with the shares) are
        // filtered and summed per advocate into a materialized CTE, left out by an anti-join (a
        // `NOT IN` that PostgreSQL does not expect to fit `work_mem` scans the CTE once per row).
        // `apart`: the advocates whose stored rows are summed apart from the ranked ones.
        var (with, live, values) = ("", dialect.liveGroups, [SQLValue]())
        var apart = live
        var leftOut = (before: live.map { " AND advocate NOT IN (SELECT advocate FROM \($0))" } ?? "", limit: "\(limit)", after: "")
        if let groups = dialect.liveGroups, dialect.filtersLiveGroups {
            let logged = conditions(filter)
            let sums = Rows.counterNames.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ")
            (with, live, values) = ("""
                WITH logged_groups AS MATERIALIZED (SELECT advocate, \(sums) FROM \(groups) WHERE \(logged.sql) GROUP BY advocate)
                """, "logged_groups", logged.values)
            let summedApart = several == nil ? "logged_groups" : "summed_apart"
            apart = summedApart
            if let several {
                values.append(.text(several.advocates))
                with += """
                    ,
                    summed_apart AS MATERIALIZED (SELECT advocate FROM logged_groups
                        UNION SELECT unnest(\(dialect.placeholder(values.count))::text[]))
                    """
            }
            let notApart = { (row: String) in " NOT EXISTS (SELECT 1 FROM \(summedApart) l WHERE l.advocate = \(row).advocate)" }
            // PostgreSQL ranks a rollup read alone in a bounded heap only with nothing between its
            // sort and the LIMIT: there the advocates summed apart are left out after the LIMIT,
            // which keeps as many more rows as they may have there (one per logged advocate, each
            // one's groups for the others). A rollup joined with its groups keeps the anti-join: under
            // a LIMIT the planner cannot tell before running, it joined every row of the rollup
            // instead of the first ones (docs/shared-store.md). Unless a filter on the groups'
            // attributes has every row joined anyway: the anti-join then sorted every row by advocate.
            leftOut = !rollup.repeatsAttributes(dialect) && several == nil
                ? (" AND" + notApart(rollup.groups.table), "\(limit)", "")
                : ("", "\(limit + (several?.rows ?? 0)) + (SELECT count(*) FROM logged_groups)", " WHERE" + notApart("ranked"))
            with += "\n"
        }
        let ranked = rankedRows(filter, place: place, first: values.count + 1)
        values += ranked.values
        var parts = ["""
            SELECT * FROM (SELECT advocate, \(counters) FROM \(ranked.sql)\(leftOut.before)
                ORDER BY \(sortKey(ranking) { $0 }) DESC, advocate\(dialect.bytewise) LIMIT \(leftOut.limit)) AS ranked\(leftOut.after)
            """]
        if let live, let apart {
            let stored = conditions(filter, first: values.count + 1)
            values += stored.values
            parts.append("""
                SELECT advocate, \(counters) FROM \(rollup.withAttributes(dialect))
                    WHERE \(stored.sql) AND advocate IN (SELECT advocate FROM \(apart))
                """)
            parts.append("SELECT advocate, \(counters) FROM \(live)")
        }
        let from = "(" + parts.joined(separator: "\nUNION ALL ") + ") AS rolled_up"
        return (with + groups("advocate", from: from, countAdvocates: false, ranking: ranking, limit: limit), values)
    }

    /// The rows `topOfSingleGroups` ranks: those of `filter`'s all-time advocate rollup, or
    /// `place`'s rows of the advocates with a share group under `filter`; a FROM clause and its
    /// WHERE, the placeholders numbered from `first`.
    private func rankedRows(_ filter: QueryFilter, place: QueryFilter?, first: Int) -> (sql: String, values: [SQLValue]) {
        guard let place else {
            let (conditions, values) = conditions(filter, first: first)
            return ("\(advocateRollupRows(filter)) WHERE \(conditions)", values)
        }
        let (conditions, values) = conditions(place, first: first)
        let advocates = advocatesWithShareGroup(under: filter, first: first + values.count)
        return ("\(advocateRollupRows(place)) WHERE \(conditions)\(advocates.sql)", values + advocates.values)
    }
}

extension QueryText {
    /// `topOfSingleGroups` where it answers `top` over `source`: no range, and no filter, a venue
    /// or a campaign alone, or a network and a tier at most, and that rollup readable (not being
    /// built); nil where every advocate's sums must be ranked. `several`: where the rollup may hold
    /// several rows of one advocate, the answer of `advocatesWithSeveralRows` (nil: too many).
    public func topOfSingleGroups(_ filter: QueryFilter, ranking: Ranking, limit: Int, over source: Source,
                                  several: SeveralRows?) -> (sql: String, values: [SQLValue])? {
        guard Self.readsAdvocateRows(filter), source.reads(Self.advocateRollup(filter)),
              Self.readsOneRowPerAdvocate(filter) || several != nil else { return nil }
        return topOfSingleGroups(filter, ranking: ranking, limit: limit, several: several)
    }

    /// Where the all-time rollup `top` reads for `filter` may hold several rows of one advocate (a
    /// network or a tier alone): its advocates with more than one group under the filter, up to
    /// `limit`, as the text of one PostgreSQL array, how many (`limit` means there may be more),
    /// and their groups (`SeveralRows`). Nil where `topOfSingleGroups` does not take them (nor
    /// read that rollup, over `source`).
    public func advocatesWithSeveralRows(_ filter: QueryFilter, over source: Source,
                                         limit: Int) -> (sql: String, values: [SQLValue])? {
        guard Self.readsAdvocateRows(filter), !Self.readsOneRowPerAdvocate(filter),
              source.reads(Self.advocateRollup(filter)) else { return nil }
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT coalesce(array_agg(advocate), '{}')::text, count(*), coalesce(sum(groups), 0) FROM (
                SELECT advocate, count(*) AS groups FROM \(Self.advocateRollup(filter).groups.table) WHERE \(conditions)
                GROUP BY advocate HAVING count(*) > 1 LIMIT \(limit)) AS several
            """, values)
    }

    /// The advocates with several rows in the rollup `top` reads (`advocatesWithSeveralRows`),
    /// summed apart from its ranked rows: `advocates`, the text of a PostgreSQL array; `rows`, the
    /// most rows they have there (their groups).
    public struct SeveralRows: Sendable, Equatable {
        public let advocates: String
        public let rows: Int

        public init(advocates: String, rows: Int) {
            self.advocates = advocates
            self.rows = rows
        }
    }

    /// Whether `top` reads an all-time advocate rollup (`advocateRollup`): no range, filtered by a
    /// venue or a campaign alone, or by network and tier at most.
    public static func readsAdvocateRows(_ filter: QueryFilter) -> Bool {
        let places = [filter.venue, filter.campaign].count { $0 != nil }
        return !filter.isRanged && filter.advocate == nil
            && (places == 0 || places == 1 && filter.network == nil && filter.tier == nil)
    }

    /// The all-time rollup `top` reads for `filter` (a venue or a campaign alone, or a network and
    /// tier at most): one row per advocate (`Rollup.advocateTotals`) without a filter, one per
    /// advocate and venue (`Rollup.venueAdvocates`) with a venue, one per advocate and campaign
    /// (`Rollup.campaignAdvocates`) with a campaign, else one per advocate, network and tier.
    public static func advocateRollup(_ filter: QueryFilter) -> Rollup {
        Rollup.covering(filteredColumns(filter).union(["advocate"]), hourly: false)
    }

    /// Whether the rollup `top` reads for `filter` has one row per advocate that the filter selects.
    public static func readsOneRowPerAdvocate(_ filter: QueryFilter) -> Bool {
        Set(advocateRollup(filter).groups.attributes).isSubset(of: filteredColumns(filter).union(["advocate"]))
    }

    private static func filteredColumns(_ filter: QueryFilter) -> Set<String> {
        Set([filter.venue.map { _ in "venue" }, filter.campaign.map { _ in "campaign" },
             filter.network.map { _ in "network" }, filter.tier.map { _ in "tier" }].compactMap { $0 })
    }

    /// The all-time advocate rollup `filter` selects with its groups' attributes: alone where its
    /// rows hold them, else joined with its groups in the order SQLite reads them best: a venue's
    /// or a campaign's groups first (by their index), else the rollup in id order.
    private func advocateRollupRows(_ filter: QueryFilter) -> String {
        let rollup = Self.advocateRollup(filter)
        guard !rollup.repeatsAttributes(dialect) else { return rollup.table }
        return filter.venue == nil && filter.campaign == nil
            ? "\(rollup.table) \(dialect.orderedJoin) \(rollup.groups.table) USING (id)"
            : "\(rollup.groups.table) \(dialect.orderedJoin) \(rollup.table) USING (id)"
    }

    /// The first `limit` rows of the all-time advocate rollup that `filter` selects, in `ranking`'s
    /// order of a row (ties by advocate), or of its rows `summed` per advocate: the advocate, then
    /// the counters.
    public func rankedAdvocateRows(_ filter: QueryFilter, ranking: Ranking, limit: Int, summed: Bool = false,
                                   among: QueryFilter? = nil) -> (sql: String, values: [SQLValue])
    {
        let (sql, values) = advocateRows(filter, among: among)
        let order = "DESC, advocate\(dialect.bytewise) LIMIT \(limit)"
        guard summed else { return (sql + "\nORDER BY \(sortKey(ranking) { $0 }) \(order)", values) }
        return ("""
            SELECT advocate, \(Rows.counterNames.map { "SUM(\($0))" }.joined(separator: ", ")) FROM (\(sql)) AS rows
            GROUP BY advocate ORDER BY \(sortKey(ranking)) \(order)
            """, values)
    }

    /// The rows of the all-time advocate rollup that `filter` selects, of the advocates with a
    /// share group under `among` if given, and of those alone in `listed` if given (`list(_:)`):
    /// the advocate, then the counters (`value` in thousandths).
    func advocateRows(_ filter: QueryFilter, among: QueryFilter? = nil, listed: SQLValue? = nil)
        -> (sql: String, values: [SQLValue])
    {
        var (conditions, values) = conditions(filter)
        if let among {
            let advocates = advocatesWithShareGroup(under: among, first: values.count + 1, listed: listed)
            conditions += advocates.sql
            values += advocates.values
        } else if let listed {
            restrict(&conditions, &values, first: 1, to: listed)
        }
        let counters = Rows.counterNames.map { $0 == "value" ? "\(dialect.rowValue) AS value" : $0 }
        return ("""
            SELECT advocate, \(counters.joined(separator: ", "))
            FROM \(advocateRollupRows(filter)) WHERE \(conditions)
            """, values)
    }

    /// `texts` as one parameter that SQLite's `json_each` reads (a JSON array): where a statement
    /// looks up many advocates, each by its key, instead of one statement per advocate (locally;
    /// `Queries.topOfRankedRows`, whose live advocates took about 10 µs each that way: 1,780 of
    /// them, 18 ms, in a campaign's nano tier with ingest at 20,000 events/s; docs/benchmarks.md,
    /// session 63).
    static func list(_ texts: some Sequence<String>) -> SQLValue {
        .text("[" + texts.map(ResponseLine.quoted).joined(separator: ",") + "]")
    }

    /// Adds to `conditions` (numbered from `first`) and `values` the advocate's being in `listed`
    /// (`list(_:)`).
    private func restrict(_ conditions: inout String, _ values: inout [SQLValue], first: Int, to listed: SQLValue) {
        values.append(listed)
        conditions += " AND advocate IN (SELECT value FROM json_each(\(dialect.placeholder(first + values.count - 1))))"
    }

    /// A condition on a rollup's rows: only those of the advocates with a share group under
    /// `filter` (by the index of the share groups by its place), of those in `listed` (`list(_:)`)
    /// if given, its placeholders numbered from `first`.
    func advocatesWithShareGroup(under filter: QueryFilter, first: Int, listed: SQLValue? = nil)
        -> (sql: String, values: [SQLValue])
    {
        var (conditions, values) = conditions(filter, first: first)
        if let listed { restrict(&conditions, &values, first: first, to: listed) }
        return (" AND advocate IN (SELECT advocate FROM \(GroupTable.shares.table) WHERE \(conditions))", values)
    }

    /// The rollup an advocate's stored totals under `filter` are looked up in: the all-time
    /// advocate rollup `filter` selects, or over a range the hourly rows of the advocate's share
    /// groups, found by their key (`Rollup.readJoined`).
    static func totalsRollup(_ filter: QueryFilter) -> Rollup {
        filter.isRanged ? Rollup.hourGroups.readJoined : advocateRollup(filter)
    }

    /// The counters of an advocate's rows of the rollup `filter` selects (`totalsRollup`; no row
    /// where it has none): one text for every advocate, and the values for each one.
    func advocateRow(_ filter: QueryFilter) -> (sql: String, values: (_ advocate: String) -> [SQLValue]) {
        var named = filter
        named.advocate = ""  // its term comes first (`conditions`): the values give each advocate's
        let rollup = Self.totalsRollup(filter)
        let (conditions, values) = conditions(named, reading: rollup)
        let others = values.dropFirst()
        return ("""
            SELECT \(sums) FROM \(rollup.withAttributes(dialect)) WHERE \(conditions) HAVING count(*) > 0
            """, { [.text($0)] + others })
    }

    /// The stored totals under `filter` (`totalsRollup`) of the advocates in a PostgreSQL array,
    /// the last parameter: the advocate, then the sums; none for an advocate without a row there
    /// (`advocateRow` for several advocates at once).
    public func advocateTotals(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT advocate, \(sums) FROM \(Self.totalsRollup(filter).withAttributes(dialect))
            WHERE \(conditions) AND advocate = ANY(\(dialect.placeholder(values.count + 1))::text[]) GROUP BY advocate
            """, values)
    }

    /// The counters of `filter` (without a range) that the rollups do not hold yet, summed per
    /// advocate (the shared store's rollup log): the advocate, then the sums; nil where the dialect
    /// keeps them apart (SQLite's are in memory).
    public func liveAdvocates(_ filter: QueryFilter) -> (sql: String, values: [SQLValue])? {
        guard let live = dialect.liveGroups, dialect.filtersLiveGroups else { return nil }
        let (conditions, values) = conditions(filter)
        return ("SELECT advocate, \(sums) FROM \(live) WHERE \(conditions) GROUP BY advocate", values)
    }

    /// For `top` over all time at one place (a venue or a campaign) with a network, a tier or
    /// both, which no all-time advocate rollup has rows for: the rows of rollups that hold all of
    /// `filter`'s and bound each advocate's total under it (`Queries.topMerged`), in the order to
    /// try them (`bounds(of:limit:over:)`); over all time none for any other filter (a campaign
    /// alone reads its own rows, faster than any that bound them: docs/benchmarks.md, round 33).
    ///
    /// Locally (`SQLDialect.keysRowsByAttributes`) the place's rows: a campaign's are one range of
    /// their table (96,000 at 2M shares, ranked in about 12 ms), tried as they are, then only
    /// those of the advocates with a share group under `filter`, which the index of the share
    /// groups by place gives (twice the time, but they decide where the first failed: for an
    /// advocate with one tier and network in the place, which is most, its row is its total
    /// under `filter`); a venue's only the latter, which are fewer and as fast (round 34). The
    /// shared store fetches a campaign's rows through an index: first the rows of the network's
    /// and tier's (a fifth of the advocates, or fewer), as they are or summed per advocate (where
    /// one may have several rows there, two tiers in one network), then the campaign's.
    ///
    /// Over a range (without an advocate), the rows that bound the same filter over all time: its
    /// own advocate rollup's, as they are or summed per advocate, or else (locally) those that
    /// bound it. The shared store reads a place's hours through the index of its share groups
    /// (`Source.readable`), which over a few days costs less than ranking and looking up the
    /// place's looser rows (at 2M shares a venue's network over 3 days 84 ms, 162 with them).
    public func boundingRows(_ filter: QueryFilter) -> [Bounds] {
        if let allTime = Self.allTime(of: filter) {
            guard Self.readsAdvocateRows(allTime) else { return dialect.isSharedStore ? [] : boundingRows(allTime) }
            let rows = Bounds(allTime, summed: false)
            return Self.readsOneRowPerAdvocate(allTime) ? [rows] : [rows, Bounds(allTime, summed: true)]
        }
        guard let place = Self.place(of: filter) else { return [] }
        guard dialect.keysRowsByAttributes else {
            guard filter.venue == nil else { return [Bounds(place, summed: false)] }
            let attributes = QueryFilter(network: filter.network, tier: filter.tier)
            return [Bounds(attributes, summed: false), Bounds(attributes, summed: true), Bounds(place, summed: false)]
        }
        let among = Bounds(place, summed: false, among: filter)
        return filter.venue == nil ? [Bounds(place, summed: false), among] : [among]
    }

    /// The place (a venue or a campaign alone) of a filter with a network or a tier over all time,
    /// without an advocate, which no all-time advocate rollup has rows for (`boundingRows`); nil
    /// for any other filter.
    static func place(of filter: QueryFilter) -> QueryFilter? {
        guard !filter.isRanged, filter.advocate == nil,
              (filter.venue == nil) != (filter.campaign == nil), filter.network != nil || filter.tier != nil
        else { return nil }
        return QueryFilter(venue: filter.venue, campaign: filter.campaign)
    }

    /// `filter` over all time, for a range without an advocate; nil for any other filter. No counter
    /// is negative, so each advocate's total over a range is at most its total over all time, and
    /// where those of the first advocates of all time are the highest over the range too (most
    /// ranges of days: docs/benchmarks.md), `top` reads those advocates' hours alone.
    static func allTime(of filter: QueryFilter) -> QueryFilter? {
        guard filter.isRanged, filter.advocate == nil else { return nil }
        return filter.allTime
    }

    /// The fewest stored hours a range holds for `top` to try the rows that bound it over all time
    /// (`allTime(of:)`): at 2M shares the last day's 20th advocate was the 1,860th over all time,
    /// past the rows read, and the day's answers sum their hours faster without that try.
    static let boundedRangeHours: Int64 = 48

    /// Rows that bound `top`'s advocates under a filter (`boundingRows`): those of `filter`'s
    /// advocate rollup, or its rows summed per advocate (each then the advocate's whole total
    /// there, where one row of several would bound only times the most rows of one advocate,
    /// which seldom decided where advocates have two networks: live in the query bench until
    /// round 35, docs/benchmarks.md, round 31).
    public struct Bounds: Equatable, Sendable {
        public let filter: QueryFilter
        public let summed: Bool
        /// Only the rows of the advocates with a share group under this filter (the answer's).
        public let among: QueryFilter?

        public init(_ filter: QueryFilter, summed: Bool, among: QueryFilter? = nil) {
            self.filter = filter
            self.summed = summed
            self.among = among
        }
    }

    /// Those of `boundingRows(filter)` that `source` reads, as it reads the rollup the advocates'
    /// totals under `filter` are looked up in (not while one is being built), up to
    /// `TopMerge.largestLimit`, over a range of more than `boundedRangeHours`; in order.
    public func bounds(of filter: QueryFilter, limit: Int, over source: Source) -> [Bounds] {
        guard limit <= TopMerge.largestLimit, source.reads(Self.totalsRollup(filter)),
              Self.allTime(of: filter) == nil || source.hoursInside(filter) > Self.boundedRangeHours
        else { return [] }
        return boundingRows(filter).filter { source.reads(Self.advocateRollup($0.filter)) }
    }
}
