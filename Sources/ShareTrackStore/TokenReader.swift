import ShareTrackCore

/// A read-only connection that loads one token's state on a cache miss: whether its share is
/// recorded, and which visitors have clicked it.
public final class TokenReader {
    private let database: Database
    private let shareExists: Statement
    private let visitors: Statement

    public init(path: String) throws {
        database = try Database(path: path, mode: .readOnly)
        shareExists = try database.prepare("SELECT 1 FROM shares WHERE token = ?")
        visitors = try database.prepare("SELECT visitor FROM visitors WHERE token = ?")
    }

    public func load(_ token: String) throws -> TokenState {
        try shareExists.bind(token, at: 1)
        let shared = try !shareExists.rows { _ in () }.isEmpty
        try visitors.bind(token, at: 1)
        return TokenState(shared: shared, visitors: try visitors.rows { $0.string(0) ?? "" })
    }
}
