import ShareTrackStore

/// One row of a `PostgresResult`, read like a SQLite row by the shared query code.
struct PostgresRow: QueryRow {
    let result: PostgresResult
    let row: Int

    func int64(_ column: Int32) -> Int64 { result.int64(row, Int(column)) }
    func string(_ column: Int32) -> String? { result.string(row, Int(column)) }
    func isNull(_ column: Int32) -> Bool { result.isNull(row, Int(column)) }
}
