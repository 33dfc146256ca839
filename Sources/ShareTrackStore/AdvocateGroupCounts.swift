/// Counts over `advocate_groups` (one row per advocate, network and tier with counters) that
/// answers over all time read instead of scanning that table:
/// - `most`: the most rows one advocate has. Each row of the all-time advocate rollup is then at
///   least 1/most of its advocate's total, which bounds how far `top` must read that rollup in
///   ranking order (`Queries.topMerged`); at 1, each row is its advocate's whole total
///   (`QueryText.topOfSingleGroups`).
/// - per tier, the distinct advocates with a row in it, and per network and tier the rows (each one
///   advocate, since (advocate, network, tier) is the table's unique key): `tiers`' advocate counts
///   without a venue or campaign filter (`Queries.tiers`). Scanning for them took 73-89 ms at 2M
///   shares; keeping them costs one index lookup per row added.
///
/// Kept incrementally, one answer to the next: group rows are only ever added, with growing ids,
/// and `forget --advocate` renames an advocate's rows together (to a new pseudonym), so the
/// counts change only by the rows added since the last answer, and only those are read. A
/// different database (its `meta.id`) starts again.
final class AdvocateGroupCounts {
    private let newest: Statement
    /// The first count of `most`, over every advocate: one scan of the unique index (42 ms at
    /// 100,000 advocates; the `IN` of `addedMost` over all of them took 200 ms).
    private let everyMost: Statement
    private let addedMost: Statement
    /// The first count per tier: reads the `(tier, advocate)` index in order (22-35 ms at 2M
    /// shares, where `addedPairs`' `DISTINCT` over every row builds a B-tree of every pair).
    private let everyPair: Statement
    /// The (tier, advocate) pairs of the rows after ?1 that no row up to ?1 has, per tier.
    private let addedPairs: Statement
    /// The rows after ?1, per network and tier.
    private let addedRows: Statement
    private var database: Int64?
    /// The last row id each count holds.
    private var mostThrough: Int64 = 0
    private var tiersThrough: Int64 = 0
    private var most: Int64 = 0
    private var advocatesPerTier: [String: Int64] = [:]
    private var rowsPerNetworkAndTier: [NetworkAndTier: Int64] = [:]

    private struct NetworkAndTier: Hashable {
        let network: String
        let tier: String
    }

    init(_ database: Database) throws {
        newest = try database.prepare("SELECT coalesce(max(id), 0) FROM main.advocate_groups")
        everyMost = try database.prepare(
            "SELECT coalesce(max(rows), 0) FROM (SELECT count(*) AS rows FROM main.advocate_groups GROUP BY advocate)")
        addedMost = try database.prepare("""
            SELECT coalesce(max(rows), 0) FROM (
                SELECT count(*) AS rows FROM main.advocate_groups
                WHERE advocate IN (SELECT advocate FROM main.advocate_groups WHERE id > ?) GROUP BY advocate)
            """)
        everyPair = try database.prepare("SELECT tier, COUNT(DISTINCT advocate) FROM main.advocate_groups GROUP BY tier")
        addedPairs = try database.prepare("""
            SELECT tier, COUNT(*) FROM (
                SELECT DISTINCT tier, advocate FROM main.advocate_groups AS added WHERE id > ?1 AND NOT EXISTS (
                    SELECT 1 FROM main.advocate_groups AS earlier
                    WHERE earlier.tier = added.tier AND earlier.advocate = added.advocate AND earlier.id <= ?1))
            GROUP BY tier
            """)
        addedRows = try database.prepare(
            "SELECT network, tier, COUNT(*) FROM main.advocate_groups WHERE id > ? GROUP BY network, tier")
    }

    /// The most rows of one advocate in the database the caller's read transaction sees, whose
    /// `meta.id` is `id` (0 while there are none).
    func most(database id: Int64) throws -> Int64 {
        let newest = try newestRow(database: id)
        if newest > mostThrough {
            if mostThrough > 0 { try addedMost.bind(mostThrough, at: 1) }
            most = max(most, try (mostThrough > 0 ? addedMost : everyMost).rows { $0.int64(0) }.first ?? 0)
            mostThrough = newest
        }
        return most
    }

    /// Per tier, the distinct advocates with a row of `network` (nil: any) and `tier` (nil: any),
    /// in the database the caller's read transaction sees, whose `meta.id` is `id`. Tiers without
    /// one are left out.
    func advocatesPerTier(network: String?, tier: String?, database id: Int64) throws -> [String: Int64] {
        let newest = try newestRow(database: id)
        if newest > tiersThrough {
            let pairs = tiersThrough > 0 ? addedPairs : everyPair
            if tiersThrough > 0 { try pairs.bind(tiersThrough, at: 1) }
            for (tier, count) in try pairs.rows({ ($0.string(0) ?? "", $0.int64(1)) }) {
                advocatesPerTier[tier, default: 0] += count
            }
            try addedRows.bind(tiersThrough, at: 1)
            for (key, count) in try addedRows.rows({ (NetworkAndTier(network: $0.string(0) ?? "", tier: $0.string(1) ?? ""), $0.int64(2)) }) {
                rowsPerNetworkAndTier[key, default: 0] += count
            }
            tiersThrough = newest
        }
        let counts = network.map { network in
            Dictionary(rowsPerNetworkAndTier.filter { $0.key.network == network }.map { ($0.key.tier, $0.value) }) { $0 + $1 }
        } ?? advocatesPerTier
        return tier.map { tier in counts.filter { $0.key == tier } } ?? counts
    }

    /// The newest row id, after starting again if the database is not the one counted.
    private func newestRow(database id: Int64) throws -> Int64 {
        let newest = try newest.rows { $0.int64(0) }.first ?? 0
        if database != id {
            database = id
            mostThrough = 0
            tiersThrough = 0
            most = 0
            advocatesPerTier = [:]
            rowsPerNetworkAndTier = [:]
        }
        return newest
    }
}
