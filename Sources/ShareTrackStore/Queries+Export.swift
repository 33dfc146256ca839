import ShareTrackCore

extension Queries {
    /// Streams the fact table to `write`: one row per share token and hour bucket that `filter`
    /// selects (an attribution filter leaves orphans out), in (token, hour) order, read in one read
    /// transaction over the tables plus the batches they do not hold yet, as every query is. Returns
    /// how many rows were written.
    ///
    /// Memory stays bounded however many rows there are: one statement merges the stored and the
    /// live counters, each read in key order (no sort, no temporary B-tree: `exportSQL`), and a key
    /// found in both arrives as consecutive rows, summed here.
    public func export(_ filter: QueryFilter, live: LiveData?, to write: (ExportRow) throws -> Void) throws -> Int {
        try filter.checkRange()
        return try snapshot(live) {
            let (sql, values) = Self.exportSQL(filter)
            let statement = try database.prepare(sql)
            defer { statement.reset() }
            try statement.bind(values)
            var current: ExportRow?
            var count = 0
            while try statement.step() {
                let row = try Self.exportRow(statement)
                if let previous = current, previous.share == row.share, previous.hour == row.hour {
                    current?.counters.add(row.counters)
                    continue
                }
                if let previous = current {
                    try write(previous)
                    count += 1
                }
                current = row
            }
            if let last = current {
                try write(last)
                count += 1
            }
            return count
        }
    }

    /// Counter rows (stored and live) with their share's attribution (stored or live; none for an
    /// orphan), in key order. SQLite runs it as a merge of two index scans.
    static func exportSQL(_ filter: QueryFilter) -> (sql: String, values: [Statement.Value]) {
        let attribute = { (column: String) in "IFNULL(s.\(column), l.\(column))" }
        let terms: [(String, Statement.Value?)] = [
            ("\(attribute("venue")) = ?", filter.venue.map { .text($0) }),
            ("\(attribute("campaign")) = ?", filter.campaign.map { .text($0) }),
            ("\(attribute("network")) = ?", filter.network.map { .text($0) }),
            ("\(attribute("tier")) = ?", filter.tier.map { .text($0.rawValue) }),
            ("c.hour >= ?", filter.sinceHour.map { .integer($0) }),
            ("c.hour < ?", filter.untilHour.map { .integer($0) }),
        ].filter { $0.1 != nil }
        let counters = "token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value"
        let sql = """
            SELECT c.token, c.hour, IFNULL(s.token, l.token) IS NOT NULL, \(attribute("advocate")),
                \(attribute("venue")), \(attribute("campaign")), \(attribute("network")), \(attribute("followers")),
                \(attribute("tier")), c.shares, c.reach, c.clicks, c.unique_clicks, c.bot_clicks, c.conversions, c.value
            FROM (SELECT \(counters) FROM main.counters UNION ALL SELECT \(counters) FROM temp.live_counters) c
                LEFT JOIN main.shares s ON s.token = c.token
                LEFT JOIN temp.live_shares l ON l.token = c.token
            WHERE \(terms.isEmpty ? "1" : terms.map(\.0).joined(separator: " AND "))
            ORDER BY c.token, c.hour
            """
        return (sql, terms.compactMap(\.1))
    }

    private static func exportRow(_ row: Statement) throws -> ExportRow {
        var attributes: ShareAttributes?
        var tier: Tier?
        if row.int64(2) != 0 {
            guard let known = Tier(rawValue: row.string(8) ?? "") else {
                throw ControlError(.failed, "the database holds an unknown tier '\(row.string(8) ?? "")'")
            }
            tier = known
            attributes = ShareAttributes(advocate: row.string(3) ?? "", venue: row.string(4) ?? "",
                                         campaign: row.string(5), network: row.string(6) ?? "",
                                         followers: Int(row.int64(7)))
        }
        return ExportRow(hour: row.int64(1), share: row.string(0) ?? "", attributes: attributes, tier: tier,
                         counters: row.counters(at: 9))
    }
}

extension Queries {
    /// Writes the fact table in `format` (header included) to `write`, `chunkBytes` at a time;
    /// returns how many rows.
    public func export(_ filter: QueryFilter, live: LiveData?, as format: ExportFormat, chunkBytes: Int = 1 << 16,
                       to write: ([UInt8]) throws -> Void) throws -> Int {
        var buffer = Array(format.header.utf8)
        let rows = try export(filter, live: live) { row in
            format.append(row, to: &buffer)
            if buffer.count >= chunkBytes {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try write(buffer)
        return rows
    }
}
