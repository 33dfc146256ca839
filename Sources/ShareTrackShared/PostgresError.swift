/// An error from PostgreSQL or from reaching it, classified by what the shipper should do about it.
///
/// Transient errors go away by themselves and are retried: a lost or refused connection (class
/// `08`, or no SQLSTATE at all because the server was never reached), a serialization failure
/// (`40001`), a deadlock (`40P01`), a server shutting down or starting (`57P*`), a server out of
/// resources (class `53`: too many connections, disk full), a statement cancelled (`57014`: by
/// `pg_cancel_backend` or `statement_timeout`) and a lock not granted in time (`55P03`:
/// `lock_timeout`). Everything else (a constraint, a data error, a missing privilege) would fail
/// the same way again: it is permanent.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE, or nil when the error is the connection's own.
    public var sqlState: String?
    public var message: String

    public init(sqlState: String?, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    public var isTransient: Bool {
        guard let sqlState else { return true }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57P")
            || ["40001", "40P01", "57014", "55P03"].contains(sqlState)
    }

    public var description: String {
        sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
    }
}
