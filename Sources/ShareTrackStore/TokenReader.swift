import Dispatch
import ShareTrackCore

/// A read-only connection that answers the engine's cache misses (`EngineReader`): one token's
/// state (whether its share is recorded, and which visitors have clicked it), whether one visitor
/// has clicked a token, and one producer's state.
///
/// Every answer is a few index lookups: a token's visitors are in its counter rows (its first
/// `TokenState.visitorsInRows`, `VisitorHashes`) and apart (any more); they are read up to
/// `visitorsLoaded`. Past that the state is incomplete and a visitor not in memory is looked for in
/// the rows' hashes and with one point query apart, so no single event reads more than the rows'
/// hashes (4,096 at most) and that many pairs, whatever number of visitors a share has.
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
    /// A token's counter rows' visitors (`VisitorHashes`).
    private let visitorsInRows: Statement
    /// A token's visitors kept apart, and one of them.
    private let visitorsApart: Statement
    private let visitorApart: Statement
    private let sourceState: Statement
    private let filter = TokenFilter()

    public init(path: String) throws {
        database = try Database(path: path, mode: .readOnly)
        shareExists = try database.prepare("SELECT 1 FROM shares WHERE token = ?")
        visitorsInRows = try database.prepare("SELECT visitors FROM counters WHERE token = ? AND visitors IS NOT NULL")
        visitorsApart = try database.prepare("SELECT visitor FROM visitors WHERE token = ? LIMIT ?")
        visitorApart = try database.prepare("SELECT 1 FROM visitors WHERE token = ? AND visitor = ?")
        sourceState = try database.prepare("SELECT \(Rows.sourceColumns) FROM sources WHERE source = ?")
        let filter = filter
        DispatchQueue.global(qos: .utility).async { Self.scan(path, into: filter) }
    }

    public func token(_ token: String) throws -> StoredToken {
        guard filter.insert(token) else { return StoredToken(shared: false) }
        try shareExists.bind(token, at: 1)
        let shared = try !shareExists.rows { _ in () }.isEmpty
        var stored = try visitors(ofRows: token)
        if stored.count <= Self.visitorsLoaded {
            try visitorsApart.bind([.text(token), .integer(Int64(Self.visitorsLoaded + 1 - stored.count))])
            stored += try visitorsApart.rows { UInt64(bitPattern: $0.int64(0)) }
        }
        return StoredToken(shared: shared, visitors: Array(stored.prefix(Self.visitorsLoaded)),
                           complete: stored.count <= Self.visitorsLoaded)
    }

    public func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool {
        guard try !visitors(ofRows: token).contains(visitor) else { return true }
        try visitorApart.bind([.text(token), .integer(Int64(bitPattern: visitor))])
        return try !visitorApart.rows { _ in () }.isEmpty
    }

    /// The visitors `token`'s counter rows hold (at most about `TokenState.visitorsInRows`).
    private func visitors(ofRows token: String) throws -> [UInt64] {
        try visitorsInRows.bind(token, at: 1)
        return try visitorsInRows.rows { VisitorHashes.hashes(in: $0.blob(0)) }.flatMap { $0 }
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
                hashes.append(FastHash.of(tokens.string(0) ?? ""))
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
