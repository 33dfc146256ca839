import ShareTrackCore
import ShareTrackStore

/// One node's connection to the shared store: creates or migrates the schema, checks the visitor
/// key, and ships batches, each shipment in one transaction that also moves the node's generation.
///
/// Exactly once: the node's row in `nodes` holds the last generation the store has, and a
/// shipment is taken only if it starts right after it (a later start is a gap: an error, never
/// skipped; an earlier one was shipped before, e.g. by a run that was killed after the commit).
/// Exact across nodes: a share token is inserted once (`ON CONFLICT DO NOTHING`); the shares and
/// reach of a token another node shipped first are dropped; a visitor pair another node has
/// already stored takes its unique click back out of the hour it counted in; orphans are counters
/// like any other, attributed by the join; the shipment's counters as the store counts them go to
/// the rollup log in the same statement, and one node at a time folds them into the rollups
/// (`RollupLog`, `fold`). Shipments of several nodes run at once. Every statement is set-based
/// over the shipment's rows, bound as array parameters (`unnest`), in key order, so that nodes writing the same keys rarely
/// deadlock (and a deadlock is transient: retried). Nothing outlives a transaction on the
/// connection (no temporary table, no session setting): a pooler in transaction mode may hand
/// each transaction another server connection.
public final class SharedStore {
    public let node: String
    private let databaseID: Int64
    /// The connection (for read-only queries between shipments).
    public let connection: PostgresConnection
    /// The schema version the store had if this connection brought it to the current one (0: the
    /// store was empty), that one, and how long it took; nil if it was current.
    public let migrated: (from: Int, to: Int, took: Duration)?

    /// Connects, migrates the schema and checks the visitor key (`keyFingerprint`, from `keyFile`).
    /// `beforeMigrating` is told first, with the two schema versions, if the store has an older one.
    /// `notices` takes what the server says beside its answers (`PostgresConnection`; by default
    /// nothing does).
    public init(conninfo: String, password: String?, node: String, databaseID: Int64,
                keyFingerprint: String?, keyFile: String,
                beforeMigrating: (_ from: Int, _ to: Int) -> Void = { _, _ in },
                notices: @escaping (String) -> Void = { _ in }) throws(PostgresError) {
        self.node = node
        self.databaseID = databaseID
        connection = try PostgresConnection(conninfo, password: password, applicationName: "sharetrackd \(node)",
                                            notices: notices)
        let start = ContinuousClock.now
        let from = try SharedSchema.migrate(connection, keyFingerprint: keyFingerprint, keyFile: keyFile,
                                            beforeMigrating: beforeMigrating)
        let to = SharedSchema.currentVersion
        migrated = from == to ? nil : (from, to, ContinuousClock.now - start)
    }

    /// The last generation of this node the store holds; nil if the node has never shipped.
    public func shippedGeneration() throws(PostgresError) -> UInt64? {
        try lastShipped()?.generation
    }

    /// The last generation of this node the store holds and when the node committed it (seconds
    /// since the epoch, the node's clock); nil if the node has never shipped.
    public func lastShipped() throws(PostgresError) -> (generation: UInt64, batchTime: Int64)? {
        let row = try connection.query("SELECT database_id, generation, batch_time FROM nodes WHERE node = $1", [node])
        guard row.count > 0 else { return nil }
        try checkDatabase(row.int64(0, 0))
        return (UInt64(row.int64(0, 1)), row.int64(0, 2))
    }

    /// Ships `shipment` in one transaction; returns the generation the store now holds for this
    /// node. `caughtUp`: nothing else waits to be shipped after it.
    @discardableResult
    public func ship(_ shipment: Shipment, caughtUp: Bool) throws(PostgresError) -> UInt64 {
        try connection.transaction { () throws(PostgresError) -> UInt64 in
            let renames = shipment.erasures.contains { if case .advocate = $0 { true } else { false } }
            try connection.execute(RollupLog.startShipment(renames: renames))
            let row = try connection.query("SELECT database_id, generation FROM nodes WHERE node = $1 FOR UPDATE", [node])
            if row.count == 0 {
                // A new node: its stream starts here.
                try connection.query("INSERT INTO nodes (node, database_id, generation) VALUES ($1, $2, $3)",
                                     [node, String(databaseID), String(shipment.first - 1)])
            } else {
                try checkDatabase(row.int64(0, 0))
                let held = UInt64(row.int64(0, 1))
                if held >= shipment.last { return held }
                guard held == shipment.first - 1 else {
                    throw PostgresError(sqlState: "55000", message: "the shared store holds node \(node) up to generation "
                                        + "\(held), but the next batch to ship is \(shipment.first): batches are missing")
                }
            }
            // Room to sort a large shipment in memory (for this transaction only).
            try connection.execute("SET LOCAL work_mem = '64MB'")
            try erase(shipment.erasures)
            try connection.query(Self.applyStatement, [node] + shipment.parameters)
            if shipment.shares.count > 0 {
                // After the shares are inserted: a token another node shipped first keeps that
                // node's share, and only the stored share's groups are numbered, so that every
                // group has a counted row (`QueryText.storedAdvocatesPerTier` counts them).
                try connection.query(SharedRollups.addGroups(from: Shipment.storedShares), shipment.shares.parameters)
                try connection.query(TierAdvocates.addSQL, shipment.shares.parameters)
            }
            try connection.query("""
                UPDATE nodes SET generation = $2, events = events + $3, batch_time = $4, shipped_at = now(),
                    caught_up_at = CASE WHEN $5 THEN now() ELSE caught_up_at END
                WHERE node = $1
                """, [node, String(shipment.last), String(shipment.events), String(shipment.batchTime), caughtUp ? "t" : "f"])
            return shipment.last
        }
    }

    /// Log rows one fold moves at most.
    public static let foldChunk = 50_000

    /// Folds up to `foldChunk` rows of the rollup log whose token has a share into the rollups, in
    /// one transaction (`RollupLog`); returns how many, or nil if another node is folding (it
    /// folds these rows too). Fewer than `foldChunk`: the rest has no share yet, or was written by
    /// a shipment that had not committed yet.
    @discardableResult
    public func fold() throws(PostgresError) -> Int? {
        try connection.transaction { () throws(PostgresError) -> Int? in
            guard try connection.query(RollupLog.tryFoldLock).string(0, 0) == "t" else { return nil }
            try connection.execute("SET LOCAL work_mem = '64MB'; \(RollupHours.startFold)")
            let counts = try connection.query(RollupLog.foldStatement, [String(Self.foldChunk)])
            guard counts.int64(0, 0) == counts.int64(0, 1) else {
                throw PostgresError(sqlState: "XX000", message: "rollup log rows without a share or without their share's groups: "
                                    + "\(counts.int64(0, 0) - counts.int64(0, 1)); not folded")
            }
            return Int(counts.int64(0, 0))
        }
    }

    /// Records that the node has nothing left to ship (for `nodes`' lag while it is idle).
    public func markCaughtUp() throws(PostgresError) {
        try connection.query("UPDATE nodes SET caught_up_at = now() WHERE node = $1", [node])
    }

    private func checkDatabase(_ id: Int64) throws(PostgresError) {
        guard id == databaseID else {
            throw PostgresError(sqlState: "55000", message: "node name \(node) is taken in the shared store by another "
                                + "database; give each daemon its own node name")
        }
    }

    /// `forget`, in the store: a visitor's pairs deleted (counters stay), an advocate renamed (in
    /// the shares, the group tables and `tier_advocates`, under the groups and fold locks, `RollupLog.startShipment`;
    /// the log holds tokens, not attributes). The store holds ids in NFC, as shipments carry them (`SharedCanonicalIds`).
    private func erase(_ erasures: [Erasure]) throws(PostgresError) {
        for erasure in erasures {
            switch erasure {
            case .visitor(let hash):
                try connection.query("DELETE FROM visitors WHERE visitor = $1", [String(Int64(bitPattern: hash))])
            case .advocate(let id, let pseudonym):
                try SharedRollups.rename("advocate", [(id, pseudonym)], on: connection)
            }
        }
    }

    /// The shipment's rows into the tables, `$1` the node and the rows' columns after it
    /// (`Shipment.parameters`). One statement of data-modifying steps (each runs once, to
    /// completion, whether or not the next reads it): shares (first shipped wins; a token already
    /// there has its shares and reach dropped from the counters), visitor pairs (one already there
    /// takes its unique click out of the hour it counted in), counters (additive, `adjusted` as the
    /// store counts them, and those that count something appended to the rollup log), producers (per node).
    ///
    /// The pairs the store already had are counted without a join: per (token, hour), the pairs
    /// shipped less the pairs inserted, and only if there are any (the counts differ). A pair
    /// shipped twice in one shipment (the node recorded it again after its visitor retention
    /// deleted it) is shipped once, its earliest click: its other unique click stays counted, as
    /// on the node. `ship_visitors` is materialized in key order, and the insert reads it in that
    /// order (nodes inserting the same pairs rarely deadlock).
    static let applyStatement = """
        WITH ship_shares AS (
            SELECT * FROM \(Shipment.unnest(.shares))
        ), ship_counters AS (
            SELECT * FROM \(Shipment.unnest(.counters))
        ), ship_visitors AS MATERIALIZED (
            SELECT DISTINCT ON (visitor, token) token, visitor, hour, time FROM \(Shipment.unnest(.visitors))
            ORDER BY visitor, token, time
        ), ship_sources AS (
            SELECT * FROM \(Shipment.unnest(.sources))
        ), won AS (
            INSERT INTO shares (token, advocate, venue, campaign, network, followers, tier, time, node)
            SELECT token, advocate, venue, campaign, network, followers, tier, time, $1 FROM ship_shares ORDER BY token
            ON CONFLICT (token) DO NOTHING
            RETURNING token, advocate, venue, campaign, network, tier
        ), inserted AS (
            INSERT INTO visitors (token, visitor, hour, time)
            SELECT token, visitor, hour, time FROM ship_visitors
            ON CONFLICT (visitor, token) DO NOTHING
            RETURNING token, hour
        ), known AS (
            SELECT token, hour, sum(pairs) AS pairs FROM (
                SELECT token, hour, 1 AS pairs FROM ship_visitors
                UNION ALL
                SELECT token, hour, -1 FROM inserted
            ) AS shipped_less_inserted
            -- Only when some pair was there already (rare): then, per (token, hour).
            WHERE (SELECT count(*) FROM inserted) < (SELECT count(*) FROM ship_visitors)
            GROUP BY token, hour
            HAVING sum(pairs) > 0
        ), adjusted AS (
            SELECT s.token, s.hour,
                CASE WHEN s.shares = 0 OR s.token IN (SELECT token FROM won) THEN s.shares ELSE 0 END AS shares,
                CASE WHEN s.shares = 0 OR s.token IN (SELECT token FROM won) THEN s.reach ELSE 0 END AS reach,
                s.clicks, s.unique_clicks - coalesce(k.pairs, 0) AS unique_clicks, s.bot_clicks, s.conversions, s.value
            FROM ship_counters s LEFT JOIN known k ON k.token = s.token AND k.hour = s.hour
        ), counted AS (
            INSERT INTO counters AS c (token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value)
            SELECT * FROM adjusted ORDER BY token, hour
            ON CONFLICT (token, hour) DO UPDATE SET
                shares = c.shares + excluded.shares,
                reach = c.reach + excluded.reach,
                clicks = c.clicks + excluded.clicks,
                unique_clicks = c.unique_clicks + excluded.unique_clicks,
                bot_clicks = c.bot_clicks + excluded.bot_clicks,
                conversions = c.conversions + excluded.conversions,
                value = c.value + excluded.value
        ), logged AS (
            INSERT INTO rollup_log SELECT * FROM adjusted WHERE \(Rows.counted)
        )
        \(SourceRows.upsertSQL(node: "$1", source: "source", from: "ship_sources") { "excluded.\($0)" })
        """
}
