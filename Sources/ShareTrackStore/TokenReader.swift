import Dispatch
import ShareTrackCore

/// A read-only connection that loads one token's state on a cache miss: whether its share is
/// recorded, and which visitors have clicked it.
///
/// A `TokenFilter` answers most misses on new tokens without reading SQLite. It relies on every
/// token written to the database after this reader opened it having been loaded through this
/// reader first, which holds for the daemon (its engine writes only tokens it has loaded); another
/// writer on the same file would have to open a new reader.
public final class TokenReader {
    private let database: Database
    private let shareExists: Statement
    private let visitors: Statement
    private let filter = TokenFilter()

    public init(path: String) throws {
        database = try Database(path: path, mode: .readOnly)
        shareExists = try database.prepare("SELECT 1 FROM shares WHERE token = ?")
        visitors = try database.prepare("SELECT visitor FROM visitors WHERE token = ?")
        let filter = filter
        DispatchQueue.global(qos: .utility).async { Self.scan(path, into: filter) }
    }

    public func load(_ token: String) throws -> TokenState {
        guard filter.insert(token) else { return TokenState(shared: false) }
        try shareExists.bind(token, at: 1)
        let shared = try !shareExists.rows { _ in () }.isEmpty
        try visitors.bind(token, at: 1)
        return TokenState(shared: shared, visitors: try visitors.rows { UInt64(bitPattern: $0.int64(0)) })
    }

    /// Adds every token the database holds to `filter`, on a connection of its own. Every token has
    /// a counter row (each accepted event adds to one), so `counters` names them all. If the scan
    /// fails, the filter stays incomplete and every miss reads SQLite as before.
    private static func scan(_ path: String, into filter: TokenFilter) {
        do {
            let database = try Database(path: path, mode: .readOnly)
            let tokens = try database.prepare("SELECT DISTINCT token FROM counters")
            defer { tokens.reset() }
            var hashes: [UInt64] = []
            hashes.reserveCapacity(4096)
            while try tokens.step() {
                hashes.append(TokenFilter.hash(tokens.string(0) ?? ""))
                if hashes.count == 4096 {
                    filter.insert(scanned: hashes)
                    hashes.removeAll(keepingCapacity: true)
                }
            }
            filter.insert(scanned: hashes)
            filter.markComplete()
        } catch {
            // Keep the filter incomplete: correct, only slower.
        }
    }
}
