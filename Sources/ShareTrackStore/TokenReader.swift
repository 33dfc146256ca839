import Dispatch
import ShareTrackCore

/// A read-only connection that answers the engine's cache misses (`EngineReader`): one token's
/// state (whether its share is recorded, and which visitors have clicked it), whether one visitor
/// has clicked a token, and one producer's state.
///
/// Every answer is a few index lookups: a token's visitors are read up to `visitorsLoaded`; past
/// that the state is incomplete and each new visitor is one point query, so no single event reads
/// more than that many rows, whatever number of visitors a share has.
///
/// A `TokenFilter` answers most misses on new tokens without reading SQLite. It relies on every
/// token written to the database after this reader opened it having been loaded through this
/// reader first, which holds for the daemon (its engine writes only tokens it has loaded); another
/// writer on the same file would have to open a new reader.
public final class TokenReader: EngineReader {
    /// The most visitors of one token a cache miss reads.
    public static let visitorsLoaded = 256

    private let database: Database
    private let shareExists: Statement
    private let visitors: Statement
    private let visitorExists: Statement
    private let sourceState: Statement
    private let filter = TokenFilter()

    public init(path: String) throws {
        database = try Database(path: path, mode: .readOnly)
        shareExists = try database.prepare("SELECT 1 FROM shares WHERE token = ?")
        visitors = try database.prepare("SELECT visitor FROM visitors WHERE token = ? LIMIT \(Self.visitorsLoaded + 1)")
        visitorExists = try database.prepare("SELECT 1 FROM visitors WHERE token = ? AND visitor = ?")
        sourceState = try database.prepare("SELECT \(Rows.sourceColumns) FROM sources WHERE source = ?")
        let filter = filter
        DispatchQueue.global(qos: .utility).async { Self.scan(path, into: filter) }
    }

    public func token(_ token: String) throws -> TokenState {
        guard filter.insert(token) else { return TokenState(shared: false) }
        try shareExists.bind(token, at: 1)
        let shared = try !shareExists.rows { _ in () }.isEmpty
        try visitors.bind(token, at: 1)
        let stored = try visitors.rows { UInt64(bitPattern: $0.int64(0)) }
        return TokenState(shared: shared, visitors: stored.prefix(Self.visitorsLoaded),
                          complete: stored.count <= Self.visitorsLoaded)
    }

    public func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool {
        try visitorExists.bind([.text(token), .integer(Int64(bitPattern: visitor))])
        return try !visitorExists.rows { _ in () }.isEmpty
    }

    public func source(_ source: String) throws -> SourceState? {
        try sourceState.bind(source, at: 1)
        return try sourceState.rows { SourceState(row: $0) }.first
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
