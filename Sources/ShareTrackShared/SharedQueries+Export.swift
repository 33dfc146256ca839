import ShareTrackCore
import ShareTrackStore

extension SharedQueries {
    /// How many rows one `FETCH` of the export's cursor brings.
    static let fetchRows = 5_000

    /// Streams the fact table of every node together to `write`, as the local export does (the
    /// same statement, `QueryText.export`, in (token, hour) order), from one read-only snapshot:
    /// a cursor read `fetchRows` at a time, so memory stays bounded however many rows there are.
    /// The next `FETCH` is sent before the rows of the last one are written, so that the server
    /// reads while `sharectl` writes. Returns how many rows were written.
    public func export(_ filter: QueryFilter, to write: (ExportRow) throws -> Void) throws -> Int {
        try filter.checkRange()
        return try snapshot {
            let (sql, values) = text.export(filter)
            try connection.query("DECLARE facts NO SCROLL CURSOR FOR \(sql)", values.map(\.text))
            let fetch = "FETCH \(Self.fetchRows) FROM facts"
            try connection.send(fetch)
            var count = 0
            while true {
                let result = try connection.result()
                let more = result.count == Self.fetchRows
                if more { try connection.send(fetch) }
                for index in 0..<result.count {
                    try write(ExportRow(row: PostgresRow(result: result, row: index)))
                }
                count += result.count
                if !more { return count }
            }
        }
    }

    /// Writes the fact table in `format` (header included) to `write`, 64 KiB at a time; returns how many rows.
    public func export(_ filter: QueryFilter, as format: ExportFormat, to write: ([UInt8]) throws -> Void) throws -> Int {
        try format.write(to: write) { try export(filter, to: $0) }
    }
}
