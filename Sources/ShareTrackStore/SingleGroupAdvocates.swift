/// Whether every advocate has at most one row in `advocate_groups` (one per network and tier it
/// has counters under), so that each row of the all-time advocate rollup is an advocate's whole
/// total (`QueryText.topOfSingleGroups`).
///
/// Checked incrementally, one answer to the next: group rows are only ever added, with growing ids,
/// and `forget --advocate` renames an advocate's rows together (to a new pseudonym), so the count
/// per advocate of the rows checked already cannot change; an answer checks only the rows added
/// since. Once some advocate has two rows, it stays so. A different database (its `meta.id`)
/// starts the check again.
final class SingleGroupAdvocates {
    private let newest: Statement
    private let shared: Statement
    private var database: Int64?
    private var checkedThrough: Int64 = 0
    private var single = true

    init(_ database: Database) throws {
        newest = try database.prepare("SELECT coalesce(max(id), 0) FROM main.advocate_groups")
        shared = try database.prepare("""
            SELECT EXISTS (SELECT 1 FROM main.advocate_groups AS added JOIN main.advocate_groups AS other
                           ON other.advocate = added.advocate AND other.id <> added.id WHERE added.id > ?)
            """)
    }

    /// Whether it holds for the database the caller's read transaction sees, whose `meta.id` is `id`.
    func hold(database id: Int64) throws -> Bool {
        if database != id {
            database = id
            checkedThrough = 0
            single = true
        }
        guard single else { return false }
        let newest = try newest.rows { $0.int64(0) }.first ?? 0
        if newest > checkedThrough {
            try shared.bind(checkedThrough, at: 1)
            single = try shared.rows { $0.int64(0) }.first == 0
            checkedThrough = newest
        }
        return single
    }
}
