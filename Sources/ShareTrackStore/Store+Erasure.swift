import CSQLite
import ShareTrackCore

/// Deleting personal data: erasures (`sharectl forget`) and `visitor_retention`.
extension Store {
    /// Applies `erasures` (inside the caller's transaction); returns the rows they changed: the
    /// visitor pairs removed, the shares renamed.
    func erase(_ erasures: [Erasure]) throws -> Int {
        var removed = 0
        for erasure in erasures {
            switch erasure {
            case .visitor(let hash):
                removed += try eraseVisitor(hash)
            case .advocate(let id, let pseudonym):
                try renameAdvocate.bind([.text(pseudonym), .text(id)])
                try renameAdvocate.run()
                removed += database.changes
                try rollups.renameAdvocate(id, to: pseudonym)
            }
        }
        return removed
    }

    /// Removes `hash` from every counter row's visitors (a full scan: `instr` finds the rows whose
    /// blob holds its 8 bytes anywhere, `VisitorHashes` only those where a hash starts) and from
    /// the pairs kept apart; returns how many it removed.
    private func eraseVisitor(_ hash: UInt64) throws -> Int {
        try eraseVisitorApart.bind([.integer(Int64(bitPattern: hash))])
        try eraseVisitorApart.run()
        var removed = database.changes
        var rows: [(token: String, hour: Int64, entries: [VisitorHashes.Entry])] = []
        try VisitorHashes.blob([hash]).withUnsafeBytes { needle in
            try findVisitor.bindUnowned(blob: needle, at: 1)
            defer { findVisitor.reset() }
            while try findVisitor.step() {
                let hour = findVisitor.int64(1)
                let stored = VisitorHashes.entries(findVisitor.blob(2), times: findVisitor.blob(3), hour: hour)
                let kept = stored.filter { $0.hash != hash }
                guard kept.count < stored.count else { continue }
                removed += stored.count - kept.count
                rows.append((findVisitor.string(0) ?? "", hour, kept))
            }
        }
        try VisitorHashes.set(rows, with: updateVisitors)
        return removed
    }

    /// Deletes, in one transaction, up to `limit` visitor pairs kept apart whose click came before
    /// `time` (seconds since the epoch), and the visitors of up to `limit` counter rows of hours
    /// before `time`'s (every click of such a row came before it); returns them (to be forgotten by
    /// the token cache too). Each such row holds at least one, so fewer than `limit` returned means
    /// none is left; those of `time`'s own hour are `deleteVisitors(before:inItsHourAfter:limit:)`'s.
    public func deleteVisitors(before time: Int64, limit: Int) throws -> [(token: String, visitor: UInt64)] {
        try database.transaction {
            let apart = try database.prepare("""
                DELETE FROM visitors WHERE (token, visitor) IN
                    (SELECT token, visitor FROM visitors WHERE hour <= ? AND \(VisitorHashes.apartTime) < ? LIMIT ?)
                RETURNING token, visitor
                """)
            try apart.bind([.integer(time.hourBucket), .integer(time), .integer(Int64(limit))])
            let deleted = try apart.rows { (token: $0.string(0) ?? "", visitor: UInt64(bitPattern: $0.int64(1))) }
            let expired = try database.prepare(
                "SELECT token, hour, visitors FROM counters WHERE hour < ? AND visitors IS NOT NULL LIMIT ?")
            try expired.bind([.integer(time.hourBucket), .integer(Int64(limit))])
            let rows = try expired.rows { row in
                (token: row.string(0) ?? "", hour: row.int64(1), hashes: VisitorHashes.hashes(in: row.blob(2)))
            }
            try VisitorHashes.set(rows.map { ($0.token, $0.hour, []) }, with: updateVisitors)
            return deleted + rows.flatMap { row in row.hashes.map { (token: row.token, visitor: $0) } }
        }
    }

    /// Deletes, in one transaction, the visitors whose click came before `time` from up to `limit`
    /// counter rows of `time`'s own hour, those of tokens after `token` in token order (the row's
    /// later visitors stay); returns them, and the last token read (nil: no more rows in that hour).
    public func deleteVisitors(before time: Int64, inItsHourAfter token: String,
                               limit: Int) throws -> (removed: [(token: String, visitor: UInt64)], last: String?) {
        try database.transaction {
            let hour = time.hourBucket
            let boundary = try database.prepare("""
                SELECT token, visitors, visitor_times FROM counters
                WHERE hour = ? AND visitors IS NOT NULL AND token > ? ORDER BY token LIMIT ?
                """)
            try boundary.bind([.integer(hour), .text(token), .integer(Int64(limit))])
            var (read, last) = (0, token)
            var rows: [(token: String, hour: Int64, entries: [VisitorHashes.Entry])] = []
            var removed: [(token: String, visitor: UInt64)] = []
            try boundary.forEachRow { row in
                read += 1
                last = row.string(0) ?? ""
                let entries = VisitorHashes.entries(row.blob(1), times: row.blob(2), hour: hour)
                let expired = entries.filter { $0.time < time }
                guard !expired.isEmpty else { return }
                rows.append((last, hour, entries.filter { $0.time >= time }))
                removed += expired.map { (token: last, visitor: $0.hash) }
            }
            try VisitorHashes.set(rows, with: updateVisitors)
            return (removed, read < limit ? nil : last)
        }
    }

    /// Empties the write-ahead log into the database file and truncates it, so that what was
    /// deleted is in no file any more (`secure_delete` zeroed it in the database file).
    public func truncateLog() throws {
        try database.truncateLog()
    }

    /// Rebuilds the database file (`VACUUM`) and truncates its write-ahead log, after an erasure:
    /// every page is then written anew. `secure_delete` zeroes what a delete frees, but not the
    /// stale copies SQLite leaves in a page's unused space when it rebuilds the page (a b-tree
    /// split or merge), where an erased advocate id or visitor hash could otherwise remain. Took
    /// 8-13 s for the 1 GB file of 2 million shares here (docs/privacy.md), and needs room for
    /// two more copies of the file while it runs.
    public func scrub() throws {
        try database.execute("VACUUM")
        try truncateLog()
    }
}
