import ShareTrackCore

/// The shipper's read-only connection to the journal (`Journal`): the batches after a generation,
/// a bounded number of rows at a time, and the size of what waits after a generation.
public final class JournalReader {
    /// Batches waiting to be shipped: how many, their events, and when the oldest was committed.
    public struct Backlog: Sendable, Equatable {
        public var batches: Int
        public var events: Int
        /// Seconds since the epoch; nil when nothing waits.
        public var oldestTime: Int64?

        public static let empty = Backlog(batches: 0, events: 0, oldestTime: nil)
    }

    let database: Database
    private let read: Statement
    private let summary: Statement
    private let oldest: Statement
    private let commitTime: Statement
    private let visitorKey: VisitorKey

    /// `visitorKey` hashes the visitor ids of batches the first release journaled (`BatchCodec`).
    public init(databasePath: String, visitorKey: VisitorKey) throws {
        self.visitorKey = visitorKey
        database = try Database(path: Journal.path(of: databasePath), mode: .readOnly)
        database.setBusyTimeout(milliseconds: 1000)
        try database.execute("PRAGMA cache_size = \(Journal.cachedPages)")
        read = try database.prepare("""
            SELECT j.header, j.effects, coalesce(s.time, 0), s.visitor_key FROM journal j LEFT JOIN summary s USING (generation)
            WHERE j.generation > ? ORDER BY j.generation
            """)
        summary = try database.prepare(
            "SELECT count(*), coalesce(sum(events), 0), min(time) FROM summary WHERE generation > ?")
        oldest = try database.prepare("SELECT min(generation) FROM journal")
        commitTime = try database.prepare("SELECT time FROM summary WHERE generation = ?")
    }

    /// The batches after `generation`, oldest first, as many as hold about `maxRows` rows (at
    /// least one, if there is one), up to the next that carries erasures (which must lead its
    /// shipment); whether more wait after them; the last one's commit time.
    public func batches(after generation: UInt64, maxRows: Int) throws -> (batches: [Batch], more: Bool, time: Int64) {
        defer { read.reset() }
        try read.bind([.integer(Int64(generation))])
        var batches: [Batch] = []
        var rows = 0
        var time: Int64 = 0
        while try read.step() {
            if rows >= maxRows { return (batches, true, time) }
            // A batch hashed under another key (journaled while the store refused that key) goes
            // without its visitor pairs (`OtherVisitorKey`).
            let otherKey = !read.isNull(3) && read.int64(3) != visitorKey.fingerprintBits
            let batch = try BatchCodec.decode(header: read.blob(0), effects: read.blob(1), visitorKey: visitorKey,
                                              rewriting: otherKey ? OtherVisitorKey() : nil)
            if !batches.isEmpty && !batch.erasures.isEmpty { return (batches, true, time) }
            rows += max(1, batch.rowCount)
            batches.append(batch)
            time = read.int64(2)
        }
        return (batches, false, time)
    }

    /// The oldest generation the journal holds; nil when it is empty.
    public func oldestGeneration() throws -> UInt64? {
        defer { oldest.reset() }
        guard try oldest.step(), !oldest.isNull(0) else { return nil }
        return UInt64(oldest.int64(0))
    }

    /// When batch `generation` was committed (seconds since the epoch); nil if the journal does
    /// not hold it.
    public func commitTime(of generation: UInt64) throws -> Int64? {
        defer { commitTime.reset() }
        try commitTime.bind([.integer(Int64(generation))])
        return try commitTime.step() && !commitTime.isNull(0) ? commitTime.int64(0) : nil
    }

    public func backlog(after generation: UInt64) throws -> Backlog {
        defer { summary.reset() }
        try summary.bind([.integer(Int64(generation))])
        _ = try summary.step()
        return Backlog(batches: Int(summary.int64(0)), events: Int(summary.int64(1)),
                       oldestTime: summary.isNull(2) ? nil : summary.int64(2))
    }
}
