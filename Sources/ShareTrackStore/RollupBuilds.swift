import CSQLite

/// The rollups being summed in steps from the rollup of every attribute at their grain
/// (`Rollup.source`: `rollup_groups` or `rollup_hour_groups`), for a database whose share groups
/// are older than they are (`Rollup.built`: per advocate alone, per advocate and venue and per
/// hour alone, which versions 9, 11 and 8 added). `rollup_builds` holds each one's table and
/// `built_through`, the last share group id (`share_groups.id`) whose counters it holds; its row is
/// deleted in the step that adds the last group's.
///
/// Exact while batches keep coming, because such a rollup always holds the source's rows of
/// exactly the share groups up to its mark: a batch adds to it only the counters of those groups
/// (`RollupWriter`; the others go to the source, as to every other rollup), and a step adds the
/// source's rows of the next groups and moves the mark past them in one transaction. A group
/// numbered later gets an id past every mark, so its counters enter through a step. Meanwhile
/// queries read the other rollups (`Source.rollups(storedHours:building:)`).
final class RollupBuilds {
    /// Each rollup being built, by its position in `Rollup.all`: the last share group id whose
    /// counters it holds. The store sets it once a `step(groups:)` has committed.
    var builtThrough: [Int: Int64]
    private let database: Database

    init(_ database: Database) throws {
        self.database = database
        let rows = try database.prepare("SELECT rollup, built_through FROM main.rollup_builds")
            .rows { ($0.string(0) ?? "", $0.int64(1)) }
        builtThrough = try Dictionary(uniqueKeysWithValues: rows.map { table, through in
            guard let index = Rollup.all.firstIndex(where: { $0.table == table }),
                  Rollup.built.contains(Rollup.all[index])
            else {
                throw SQLiteError(code: SQLITE_CORRUPT,
                                  message: "rollup_builds names \(table), not a rollup built in steps")
            }
            return (index, through)
        })
    }

    /// Adds the next `rows` rows of its source, in share group order, and the rest of the last
    /// one's group (its other hours), to the first rollup being built (in the order of
    /// `Rollup.all`), in the caller's transaction; returns `builtThrough` as it is once the
    /// transaction commits. Bounded by rows, not groups: a share group has one row of
    /// `rollup_groups` but one of `rollup_hour_groups` per hour it counted in (7.5 on average in
    /// the query bench), and a step holds up the applies while it runs.
    func step(rows: Int) throws -> [Int: Int64] {
        guard let (index, from) = builtThrough.min(by: { $0.key < $1.key }) else { return builtThrough }
        let rollup = Rollup.all[index]
        let step = rollup.stepSQL(.sqlite)
        let next = try database.prepare(step.bound)
        try next.bind([.integer(from), .integer(Int64(rows))])
        let (through, count) = try next.rows { ($0.int64(0), $0.int64(1)) }[0]
        for sql in step.building where count > 0 {
            let statement = try database.prepare(sql)
            try statement.bind([.integer(from), .integer(through)])
            try statement.run()
        }
        var after = builtThrough
        // Fewer rows than asked for: every group's are in now (a group past the mark with no rows
        // yet gets them through the batches once the build is over).
        after[index] = count < rows ? nil : through
        let progress = try database.prepare(after[index] == nil
            ? "DELETE FROM main.rollup_builds WHERE rollup = ?2"
            : "UPDATE main.rollup_builds SET built_through = ?1 WHERE rollup = ?2")
        try progress.bind([.integer(through), .text(rollup.table)])
        try progress.run()
        return after
    }
}
