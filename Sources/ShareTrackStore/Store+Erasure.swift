import CSQLite
import ShareTrackCore

/// Deleting personal data: erasures (`sharectl forget`) and `visitor_retention`.
extension Store {
    /// Applies `erasures` (inside the caller's transaction); returns the visitor pairs removed.
    func erase(_ erasures: [Erasure]) throws -> Int {
        var removed = 0
        for erasure in erasures {
            switch erasure {
            case .visitor(let hash):
                try eraseVisitor.bind([.integer(Int64(bitPattern: hash))])
                try eraseVisitor.run()
                removed += database.changes
            case .advocate(let id, let pseudonym):
                try renameAdvocate.bind([.text(pseudonym), .text(id)])
                try renameAdvocate.run()
                try rollups.renameAdvocate(id, to: pseudonym)
            }
        }
        return removed
    }

    /// Deletes up to `limit` visitor pairs stored by a click before `hour` (hours since the epoch),
    /// in one transaction; returns them (to be forgotten by the token cache too).
    public func deleteVisitors(before hour: Int64, limit: Int) throws -> [(token: String, visitor: UInt64)] {
        try database.transaction {
            let statement = try database.prepare("""
                DELETE FROM visitors WHERE (token, visitor) IN
                    (SELECT token, visitor FROM visitors WHERE hour < ? LIMIT ?)
                RETURNING token, visitor
                """)
            try statement.bind([.integer(hour), .integer(Int64(limit))])
            return try statement.rows { (token: $0.string(0) ?? "", visitor: UInt64(bitPattern: $0.int64(1))) }
        }
    }

    /// Empties the write-ahead log into the database file and truncates it, so that what was
    /// deleted is in no file any more (`secure_delete` zeroed it in the database file).
    public func truncateLog() throws {
        try database.truncateLog()
    }
}
