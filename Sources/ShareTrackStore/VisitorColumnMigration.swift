import ShareTrackCore

/// Schema version 10: counter rows gain a `visitors` column (`VisitorHashes`), and the visitor
/// pairs of each token with at most `TokenState.visitorsInRows` of them move from the `visitors`
/// table into the counter rows of their share and hour; the others stay there, kept apart
/// (`VisitorPair.apart`). `secure_delete` zeroes what is deleted. A partial index by hour of the
/// rows that hold visitors serves `visitor_retention`.
///
/// Every pair has that counter row: the engine records a visitor's first click's counter delta
/// with its pair, and version 3 gave the pairs it migrated the hour of their share's first row.
enum VisitorColumnMigration {
    static func run(_ database: Database, _: VisitorKey) throws {
        let few = "SELECT token FROM visitors GROUP BY token HAVING count(*) <= \(TokenState.visitorsInRows)"
        try database.execute("ALTER TABLE counters ADD COLUMN visitors BLOB")
        // One token's pairs (a few) together: each of its rows is set once.
        let pairs = try database.prepare(
            "SELECT token, hour, visitor FROM visitors WHERE token IN (\(few)) ORDER BY token")
        let update = try database.prepare(VisitorHashes.updateHashesSQL)
        var token = ""
        var hours: [Int64: [UInt64]] = [:]
        func move() throws {
            try VisitorHashes.set(hours.map { hour, hashes in (token, hour, hashes.map { ($0, VisitorPair.time(inHour: hour)) }) },
                                  with: update, times: false)
            hours.removeAll(keepingCapacity: true)
        }
        while try pairs.step() {
            let next = pairs.string(0) ?? ""
            if next != token {
                try move()
                token = next
            }
            hours[pairs.int64(1), default: []].append(UInt64(bitPattern: pairs.int64(2)))
        }
        pairs.reset()
        try move()
        try database.execute("""
            DELETE FROM visitors WHERE token IN (\(few));
            CREATE INDEX counters_visitors_by_hour ON counters (hour) WHERE visitors IS NOT NULL;
            """)
    }
}
