/// Work a migration leaves to be done in steps over a group table, in id order, by whichever node
/// holds the fold's lock (`SharedStore.buildRollups`): `TierAdvocates`' fill, `CountedGroups`'
/// check. Its mark, the last group id reached, is a row of `meta`, absent once the work is done.
struct MarkedSteps {
    /// The `meta` key of the mark.
    let key: String
    /// One step: of the `$2` groups after `$1` (the mark), in id order (`HourGroupRows`: of the
    /// `$2` rows after it, in key order); returns the last of those (the next mark) and how many
    /// there were.
    let stepSQL: String
    /// A statement run first in each step's transaction (a lock), if any.
    var before: String?
    /// Statements run by the step that finds the work done, in its transaction (indexes it makes
    /// once the table is as the work leaves it), if any.
    var done: String?

    /// The migration's statement that has the work done where the table has rows.
    func markSQL(where table: String) -> String {
        "INSERT INTO meta (key, value) SELECT '\(key)', '0' WHERE EXISTS (SELECT 1 FROM \(table));"
    }

    /// One step over the next `groups` groups, if the work has some left, in the caller's
    /// transaction; returns whether it still has.
    func step(_ connection: PostgresConnection, groups: Int) throws(PostgresError) -> Bool {
        let mark = try connection.query("SELECT value FROM meta WHERE key = $1", [key])
        guard mark.count > 0, let from = mark.string(0, 0) else { return false }
        if let before { try connection.execute(before) }
        let step = try connection.query(stepSQL, [from, String(groups)])
        guard step.int64(0, 1) == Int64(groups) else {
            if let done { try connection.execute(done) }
            try connection.query("DELETE FROM meta WHERE key = $1", [key])
            return false
        }
        try connection.query("UPDATE meta SET value = $2 WHERE key = $1", [key, step.string(0, 0) ?? from])
        return true
    }

    /// Whether the work has groups left, as `connection` sees it.
    func remains(_ connection: PostgresConnection) throws(PostgresError) -> Bool {
        try connection.query("SELECT 1 FROM meta WHERE key = $1", [key]).count > 0
    }
}
