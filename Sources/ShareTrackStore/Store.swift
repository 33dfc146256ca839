import ShareTrackCore

/// The daemon's writing connection: opens (or creates) the database, migrates it, and writes each
/// batch in one durable transaction.
public final class Store {
    public let database: Database
    private let insertShare: Statement
    private let upsertCounter: Statement
    private let insertVisitor: Statement
    private let upsertSource: Statement
    private let setGeneration: Statement

    /// Opens the database at `path`, creating it on first start.
    ///
    /// WAL with `synchronous = FULL`: a commit is on disk when `COMMIT` returns, and readers
    /// (queries, token lookups) never wait for the writer.
    public init(path: String) throws {
        do {
            database = try Database(path: path, mode: .readWrite)
            try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            database.setBusyTimeout(milliseconds: 100)
            try Schema.migrate(database)
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
        insertShare = try database.prepare("""
            INSERT INTO shares (token, advocate, venue, campaign, network, followers, tier, time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertCounter = try database.prepare("""
            INSERT INTO counters (token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (token, hour) DO UPDATE SET
                shares = shares + excluded.shares,
                reach = reach + excluded.reach,
                clicks = clicks + excluded.clicks,
                unique_clicks = unique_clicks + excluded.unique_clicks,
                bot_clicks = bot_clicks + excluded.bot_clicks,
                conversions = conversions + excluded.conversions,
                value = value + excluded.value
            """)
        insertVisitor = try database.prepare("INSERT INTO visitors (token, visitor) VALUES (?, ?)")
        upsertSource = try database.prepare("""
            INSERT OR REPLACE INTO sources (source, highest_seq, last_seen, accepted, rejected, duplicates)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        setGeneration = try database.prepare("UPDATE meta SET value = ? WHERE key = 'generation'")
    }

    /// The generation of the last batch committed.
    public func committedGeneration() throws -> UInt64 {
        try UInt64(Self.committedGeneration(database))
    }

    static func committedGeneration(_ database: Database) throws -> Int64 {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = 'generation'")
        return try statement.rows { $0.int64(0) }.first ?? 0
    }

    /// Every producer's committed state.
    public func sources() throws -> [String: SourceState] {
        try Self.sources(database)
    }

    static func sources(_ database: Database) throws -> [String: SourceState] {
        let statement = try database.prepare(
            "SELECT source, highest_seq, last_seen, accepted, rejected, duplicates FROM sources")
        let rows = try statement.rows { row in
            var state = SourceState()
            state.highestSeq = UInt64(row.int64(1))
            state.lastSeen = row.int64(2)
            state.accepted = row.int64(3)
            state.rejected = row.int64(4)
            state.duplicates = row.int64(5)
            return (row.string(0) ?? "", state)
        }
        return Dictionary(rows, uniquingKeysWith: { $1 })
    }

    /// Writes a batch in one transaction: counter deltas as additive upserts, the new shares and
    /// visitors, the producers' highest seqs, and the batch's generation.
    public func write(_ batch: Batch) throws {
        try database.transaction {
            for share in batch.shares {
                try insertShare.bind([
                    .text(share.token), .text(share.attributes.advocate), .text(share.attributes.venue),
                    .text(share.attributes.campaign), .text(share.attributes.network),
                    .integer(Int64(share.attributes.followers)), .text(share.tier.rawValue), .integer(share.time),
                ])
                try insertShare.run()
            }
            for (key, counters) in batch.counters {
                try upsertCounter.bind([
                    .text(key.token), .integer(key.hour), .integer(counters.shares), .integer(counters.reach),
                    .integer(counters.clicks), .integer(counters.uniqueClicks), .integer(counters.botClicks),
                    .integer(counters.conversions), .real(counters.value),
                ])
                try upsertCounter.run()
            }
            for pair in batch.visitors {
                try insertVisitor.bind([.text(pair.token), .text(pair.visitor)])
                try insertVisitor.run()
            }
            for (source, state) in batch.sources {
                try upsertSource.bind([
                    .text(source), .integer(Int64(state.highestSeq)), .integer(state.lastSeen),
                    .integer(state.accepted), .integer(state.rejected), .integer(state.duplicates),
                ])
                try upsertSource.run()
            }
            try setGeneration.bind([.integer(Int64(batch.generation))])
            try setGeneration.run()
        }
    }
}
