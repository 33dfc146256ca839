import CLibPQ

/// The rows a statement returned, in libpq's text format; freed with the value.
public final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    public var count: Int { Int(PQntuples(result)) }

    /// The rows a command changed (`INSERT`, `UPDATE`, `DELETE`).
    public var affected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) != 0
    }

    public func string(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    public func int64(_ row: Int, _ column: Int) -> Int64 {
        string(row, column).flatMap { Int64($0) } ?? 0
    }

    public func double(_ row: Int, _ column: Int) -> Double {
        string(row, column).flatMap { Double($0) } ?? 0
    }
}
