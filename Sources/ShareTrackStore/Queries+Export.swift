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
                let row = try ExportRow(row: statement, after: current)
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

    /// The fact table's statement (`QueryText.export`): counter rows (stored and live) with their
    /// share's attribution (stored or live; none for an orphan), in key order. SQLite runs it as a
    /// merge of two index scans.
    static func exportSQL(_ filter: QueryFilter) -> (sql: String, values: [Statement.Value]) {
        let (sql, values) = text.export(filter)
        return (sql, values.map(\.statementValue))
    }
}

extension Queries {
    /// Writes the fact table in `format` (header included) to `write`, `chunkBytes` at a time;
    /// returns how many rows.
    public func export(_ filter: QueryFilter, live: LiveData?, as format: ExportFormat, chunkBytes: Int = 1 << 16,
                       to write: ([UInt8]) throws -> Void) throws -> Int {
        try format.write(chunkBytes: chunkBytes, to: write) { try export(filter, live: live, to: $0) }
    }
}
