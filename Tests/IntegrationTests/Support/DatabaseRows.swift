import ShareTrackStore
import TestSupport

/// The daemon's committed rows, read straight from its SQLite file.
enum DatabaseRows {
    static func counters(_ database: Database) throws -> [ReferenceModel.Key: ReferenceModel.Row] {
        let statement = try database.prepare("""
            SELECT token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM counters
            """)
        let rows = try statement.rows { row in
            (ReferenceModel.Key(token: row.string(0)!, hour: row.int64(1)),
             ReferenceModel.Row(shares: Int(row.int64(2)), reach: Int(row.int64(3)), clicks: Int(row.int64(4)),
                                uniqueClicks: Int(row.int64(5)), botClicks: Int(row.int64(6)),
                                conversions: Int(row.int64(7)), value: Double(row.int64(8)) / 1000))
        }
        return Dictionary(rows, uniquingKeysWith: { $1 })
    }

    static func count(_ database: Database, _ sql: String) throws -> Int {
        let statement = try database.prepare(sql)
        return try statement.rows { Int($0.int64(0)) }.first ?? 0
    }

    /// Takes the daemon's database at `path` (of the current version, not open) back to schema
    /// version 7: `Database.backToVersionTen`, and without the rollups per hour alone and per
    /// advocate alone (and the advocate groups of the latter), or version 10's visitor pairs in the
    /// counter rows (dropped: for answers that do not read visitors).
    static func backToVersionSeven(_ path: String) throws {
        let database = try Database(path: path, mode: .readWrite)
        try database.backToVersionTen()
        try database.execute("""
            DROP TABLE rollup_hours; DROP TABLE rollup_advocate_totals; DROP TABLE advocate_alone_groups;
            DROP INDEX counters_visitors_by_hour; ALTER TABLE counters DROP COLUMN visitors;
            PRAGMA user_version = 7;
            """)
    }

    static func shareFollowers(_ database: Database) throws -> [String: Int] {
        let statement = try database.prepare("SELECT token, followers FROM shares")
        return Dictionary(try statement.rows { ($0.string(0)!, Int($0.int64(1))) }, uniquingKeysWith: { $1 })
    }
}

/// Money sums compared to the cent.
func sameCounters(_ a: [ReferenceModel.Key: ReferenceModel.Row], _ b: [ReferenceModel.Key: ReferenceModel.Row]) -> Bool {
    guard a.count == b.count else { return false }
    return a.allSatisfy { key, row in
        guard var other = b[key] else { return false }
        guard abs(other.value - row.value) < 0.005 else { return false }
        other.value = row.value
        return other == row
    }
}
