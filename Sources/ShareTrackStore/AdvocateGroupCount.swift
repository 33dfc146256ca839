/// The most rows one advocate has in `advocate_groups` (one per network and tier it has counters
/// under): each row of the all-time advocate rollup is then at least 1/most of its advocate's
/// total, which bounds how far `top` must read that rollup in ranking order (`Queries.topMerged`);
/// at 1, each row is its advocate's whole total (`QueryText.topOfSingleGroups`).
///
/// Kept incrementally, one answer to the next: group rows are only ever added, with growing ids,
/// and `forget --advocate` renames an advocate's rows together (to a new pseudonym), so an
/// advocate's count only grows while it keeps its name; an answer recounts only the advocates of
/// the rows added since. A different database (its `meta.id`) starts again.
final class AdvocateGroupCount {
    private let newest: Statement
    /// The first count, over every advocate: one scan of the unique index (42 ms at 100,000
    /// advocates; the `IN` of `added` over all of them took 200 ms).
    private let every: Statement
    private let added: Statement
    private var database: Int64?
    private var checkedThrough: Int64 = 0
    private var most: Int64 = 0

    init(_ database: Database) throws {
        newest = try database.prepare("SELECT coalesce(max(id), 0) FROM main.advocate_groups")
        every = try database.prepare(
            "SELECT coalesce(max(rows), 0) FROM (SELECT count(*) AS rows FROM main.advocate_groups GROUP BY advocate)")
        added = try database.prepare("""
            SELECT coalesce(max(rows), 0) FROM (
                SELECT count(*) AS rows FROM main.advocate_groups
                WHERE advocate IN (SELECT advocate FROM main.advocate_groups WHERE id > ?) GROUP BY advocate)
            """)
    }

    /// The most rows of one advocate in the database the caller's read transaction sees, whose
    /// `meta.id` is `id` (0 while there are none).
    func most(database id: Int64) throws -> Int64 {
        if database != id {
            database = id
            checkedThrough = 0
            most = 0
        }
        let newest = try newest.rows { $0.int64(0) }.first ?? 0
        if newest > checkedThrough {
            if checkedThrough > 0 { try added.bind(checkedThrough, at: 1) }
            most = max(most, try (checkedThrough > 0 ? added : every).rows { $0.int64(0) }.first ?? 0)
            checkedThrough = newest
        }
        return most
    }
}
