import ShareTrackCore

/// The most rows one advocate has in `advocate_groups` (one per network and tier it has counters
/// under): each row of the all-time advocate rollup is then at least 1/most of its advocate's
/// total, which bounds how far `top` must read that rollup in ranking order (`Queries.topMerged`);
/// at 1, each row is its advocate's whole total (`QueryText.topOfSingleGroups`). And which
/// advocates have several networks, and which several tiers (`mixed(under:)`): a place's row of
/// any other advocate with a share group under a network or a tier there is its total under them
/// (`Queries.topOfPlaceRows`).
///
/// Kept incrementally, one answer to the next: group rows are only ever added, with growing ids,
/// so an advocate's rows only grow while it keeps its name; an answer recounts only the advocates
/// of the rows added since. A different database (its `meta.id`) starts again, and so does a
/// rename (`forget --advocate` renames an advocate's rows together, to a new pseudonym, and counts
/// it in `meta.advocates_renamed`).
final class AdvocateGroupCount {
    /// How many advocates with several networks (or tiers) are named at most: past it, `mixed`
    /// is nil for that attribute (each named one costs an answer a lookup).
    var mixedLimit = 1_000
    private let identity: Statement
    private let newest: Statement
    /// The first count, over every advocate: one scan of the unique index (42 ms at 100,000
    /// advocates; the `IN` of `added` over all of them took 200 ms).
    private let every: Statement
    private let added: Statement
    /// The `meta.id` and `meta.advocates_renamed` of the database counted so far.
    private var counted: [Int64] = []
    private(set) var checkedThrough: Int64 = 0
    private var mostRows: Int64 = 0
    private var severalNetworks: Set<String>? = []
    private var severalTiers: Set<String>? = []

    init(_ database: Database) throws {
        identity = try database.prepare("""
            SELECT (SELECT value FROM main.meta WHERE key = 'id'), (SELECT value FROM main.meta WHERE key = 'advocates_renamed')
            """)
        newest = try database.prepare("SELECT coalesce(max(id), 0) FROM main.advocate_groups")
        // Per advocate with several rows (of `advocates`): how many, and whether they differ in
        // network, in tier. Compared only for those: over every row, 140 ms at 100,000 advocates.
        let several = { (advocates: String) in
            """
            SELECT advocate, count(*), min(network) <> max(network), min(tier) <> max(tier) FROM (
                SELECT advocate FROM main.advocate_groups\(advocates) GROUP BY advocate HAVING count(*) > 1
            ) JOIN main.advocate_groups USING (advocate) GROUP BY advocate
            """
        }
        every = try database.prepare(several(""))
        added = try database.prepare(several(" WHERE advocate IN (SELECT advocate FROM main.advocate_groups WHERE id > ?)"))
    }

    /// The most rows of one advocate in the database the caller's read transaction sees (0 while
    /// there are none).
    func most() throws -> Int64 {
        try update()
        return mostRows
    }

    /// The advocates with several networks, if `filter` names a network, and those with several
    /// tiers, if it names a tier, in the database the caller's read transaction sees; nil where
    /// there are more than `mixedLimit` of either.
    func mixed(under filter: QueryFilter) throws -> Set<String>? {
        try update()
        var mixed: Set<String> = []
        for (named, several) in [(filter.network != nil, severalNetworks), (filter.tier != nil, severalTiers)] where named {
            guard let several else { return nil }
            mixed.formUnion(several)
        }
        return mixed
    }

    private func update() throws {
        let identity = try identity.rows { [$0.int64(0), $0.int64(1)] }.first ?? []
        if identity != counted {
            counted = identity
            (checkedThrough, mostRows, severalNetworks, severalTiers) = (0, 0, [], [])
        }
        let newest = try newest.rows { $0.int64(0) }.first ?? 0
        guard newest > checkedThrough else { return }
        if checkedThrough > 0 { try added.bind(checkedThrough, at: 1) }
        mostRows = max(mostRows, 1)
        try (checkedThrough > 0 ? added : every).forEachRow { row in
            mostRows = max(mostRows, row.int64(1))
            let advocate = row.string(0) ?? ""
            if row.int64(2) != 0 { add(advocate, to: &severalNetworks) }
            if row.int64(3) != 0 { add(advocate, to: &severalTiers) }
        }
        checkedThrough = newest
    }

    private func add(_ advocate: String, to advocates: inout Set<String>?) {
        advocates?.insert(advocate)
        if let count = advocates?.count, count > mixedLimit { advocates = nil }
    }
}
