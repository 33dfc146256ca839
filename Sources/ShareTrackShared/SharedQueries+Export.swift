import ShareTrackCore
import ShareTrackStore

extension SharedQueries {
    /// How many rows one `FETCH` of the export's cursor brings.
    static let fetchRows = 10_000

    /// Streams the fact table of every node together to `write`, as the local export does (the
    /// same statement, `QueryText.export`, in (token, hour) order), from one read-only snapshot:
    /// a cursor read `fetchRows` at a time, so memory stays bounded however many rows there are.
    /// Returns how many rows were written.
    public func export(_ filter: QueryFilter, to write: (ExportRow) throws -> Void) throws -> Int {
        try filter.checkRange()
        return try snapshot {
            let (sql, values) = text.export(filter)
            try connection.query("DECLARE facts NO SCROLL CURSOR FOR \(sql)", values.map(\.text))
            var count = 0
            while true {
                let result = try connection.execute("FETCH \(Self.fetchRows) FROM facts")
                for index in 0..<result.count {
                    try write(ExportRow(row: PostgresRow(result: result, row: index)))
                }
                count += result.count
                if result.count < Self.fetchRows { return count }
            }
        }
    }

    /// Writes the fact table in `format` (header included) to `write`, 64 KiB at a time; returns how many rows.
    public func export(_ filter: QueryFilter, as format: ExportFormat, to write: ([UInt8]) throws -> Void) throws -> Int {
        try format.write(to: write) { try export(filter, to: $0) }
    }
}
