import Glibc
import ShareTrackCore

/// Schema version 3: visitor ids become keyed hashes, money becomes exact.
///
/// - `visitors` is rebuilt with each visitor id replaced by its keyed hash (`VisitorKey`) and the
///   hour of the share's first counter row: the hour of the click that stored a pair was not
///   recorded, and the share's first hour is the earliest it can have been, so
///   `visitor_retention` deletes such a pair no later than its true age would. A new index by
///   hour serves the retention.
/// - `counters` is rebuilt with `value` as INTEGER thousandths: each REAL sum rounded to the
///   nearest thousandth, and capped at 1,000,000,000 per conversion of the row (a sum the first
///   release let grow infinite is capped, not lost). `meta.value_total` holds their sum.
/// - `sources` gains `test` (test events).
///
/// The old tables' pages are overwritten with zeros as they are freed (`Store` runs with
/// `secure_delete`), so no visitor id is left in the file.
public enum VisitorHashMigration {
    /// The schema version this migration brings a database to: the first whose file holds visitor hashes.
    static let version: Int64 = 3

    /// Whether the database at `path` holds visitor hashes, made with some key: not a file that
    /// does not exist or is empty, nor one of the first release (visitor ids in clear, which its
    /// migration hashes with the key given then). A file that cannot be read is taken to hold them.
    public static func hashesStored(inDatabaseAt path: String) -> Bool {
        guard access(path, F_OK) == 0 else { return false }
        do {
            return try Schema.userVersion(Database(path: path, mode: .readOnly)) >= version
        } catch {
            return true
        }
    }

    static func run(_ database: Database, _ key: VisitorKey) throws {
        try database.execute("""
            CREATE TABLE counters_v3 (
                token TEXT NOT NULL,
                hour INTEGER NOT NULL,
                shares INTEGER NOT NULL DEFAULT 0,
                reach INTEGER NOT NULL DEFAULT 0,
                clicks INTEGER NOT NULL DEFAULT 0,
                unique_clicks INTEGER NOT NULL DEFAULT 0,
                bot_clicks INTEGER NOT NULL DEFAULT 0,
                conversions INTEGER NOT NULL DEFAULT 0,
                value INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (token, hour)
            ) WITHOUT ROWID;
            INSERT INTO counters_v3
                SELECT token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions,
                    CASE WHEN value > 0
                        THEN CAST(MIN(ROUND(value * 1000), conversions * 1e12, 9.2e18) AS INTEGER) ELSE 0 END
                FROM counters;
            DROP TABLE counters;
            ALTER TABLE counters_v3 RENAME TO counters;
            INSERT INTO meta (key, value)
                VALUES ('value_total', CAST(MIN((SELECT TOTAL(value) FROM counters), 9.2e18) AS INTEGER));

            ALTER TABLE sources ADD COLUMN test INTEGER NOT NULL DEFAULT 0;

            CREATE TABLE visitors_v3 (
                token TEXT NOT NULL,
                visitor INTEGER NOT NULL,
                hour INTEGER NOT NULL,
                PRIMARY KEY (token, visitor)
            ) WITHOUT ROWID;
            """)
        let old = try database.prepare("""
            SELECT token, visitor, (SELECT MIN(hour) FROM counters WHERE counters.token = visitors.token)
            FROM visitors
            """)
        // (Two ids of one share whose hashes collide were one visitor from now on.)
        let insert = try database.prepare("INSERT OR IGNORE INTO visitors_v3 (token, visitor, hour) VALUES (?, ?, ?)")
        defer { old.reset() }
        while try old.step() {
            try insert.bind([.text(old.string(0) ?? ""), .integer(Int64(bitPattern: key.hash(old.string(1) ?? ""))),
                             .integer(old.int64(2))])
            try insert.run()
        }
        try database.execute("""
            DROP TABLE visitors;
            ALTER TABLE visitors_v3 RENAME TO visitors;
            CREATE INDEX visitors_by_hour ON visitors (hour);
            """)
    }
}
