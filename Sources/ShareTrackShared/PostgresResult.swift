import CLibPQ
import Glibc

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

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) != 0
    }

    public func string(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// An integer column (0 for NULL), read from libpq's text without making a `String`: an
    /// export reads nine per row.
    public func int64(_ row: Int, _ column: Int) -> Int64 {
        isNull(row, column) ? 0 : Int64(strtoll(PQgetvalue(result, Int32(row), Int32(column)), nil, 10))
    }

    public func double(_ row: Int, _ column: Int) -> Double {
        string(row, column).flatMap { Double($0) } ?? 0
    }
}
