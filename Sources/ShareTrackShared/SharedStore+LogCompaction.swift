extension SharedStore {
    /// The rollup log's heap, in bytes, past which a log holding few rows is rewritten
    /// (`compactRollupLog`).
    public static let logCompactionBytes: Int64 = 16 << 20
    /// What one log row takes in the heap at most, headers included, to tell a log of few rows.
    static let logRowBytes: Int64 = 256

    /// Rewrites the rollup log (`VACUUM FULL`) if its heap is past `minimumBytes` and more than four
    /// times what its rows need; returns the heap's bytes before and after, or nil if it was left
    /// as it is.
    ///
    /// After a burst that the folds have caught up with, the heap keeps its size: rows still sit
    /// at its end (orphans waiting for their share, the newest shipments'), so a plain (auto)vacuum
    /// frees the space but hands back none of it, and every query and fold reads the log whole.
    /// `VACUUM FULL` copies every row with its visibility (safe for snapshots taken before it,
    /// unlike `TRUNCATE`), holding the table exclusively meanwhile: shipments and queries wait for
    /// the copy. `SKIP_LOCKED`: it never waits for them (nor makes others queue behind it), and
    /// skips the log while anyone holds it (as when this role does not own the log): nil, and a
    /// later call tries again. No session setting, so it works through a transaction pooler too.
    public func compactRollupLog(minimumBytes: Int64 = logCompactionBytes) throws(PostgresError) -> (before: Int64, after: Int64)? {
        let heap = try connection.query("SELECT pg_relation_size('rollup_log'), (SELECT count(*) FROM rollup_log)")
        let before = heap.int64(0, 0)
        guard before > minimumBytes, heap.int64(0, 1) * Self.logRowBytes * 4 < before else { return nil }
        try connection.execute("VACUUM (FULL, SKIP_LOCKED) rollup_log")
        let after = try connection.query("SELECT pg_relation_size('rollup_log')").int64(0, 0)
        return after < before ? (before, after) : nil
    }
}
