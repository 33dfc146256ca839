/// An error from PostgreSQL or from reaching it, classified by what the shipper should do about it.
///
/// Transient errors go away by themselves and are retried: a lost or refused connection (class
/// `08`, or no SQLSTATE at all because the server was never reached), a serialization failure
/// (`40001`), a deadlock (`40P01`), a server shutting down or starting (`57P*`), and a server out of
/// resources (class `53`: too many connections, disk full). Everything else (a constraint, a data
/// error, a missing privilege) would fail the same way again: it is permanent.
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
            || sqlState == "40001" || sqlState == "40P01"
    }

    public var description: String {
        sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
    }
}
