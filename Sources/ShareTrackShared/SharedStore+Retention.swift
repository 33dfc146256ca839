extension SharedStore {
    /// Deletes up to `limit` visitor pairs whose hour is before `hour`, in one transaction of its
    /// own; returns how many. Counters stay (they hold no visitor). The pairs are found through
    /// `visitors_by_hour`, so a run with nothing (or little) to delete reads only those pairs,
    /// never the whole table.
    public func deleteVisitors(before hour: Int64, limit: Int) throws(PostgresError) -> Int {
        let deleted = try connection.query("""
            WITH deleted AS (
                DELETE FROM visitors WHERE ctid IN (SELECT ctid FROM visitors WHERE hour < $1 LIMIT $2)
                RETURNING 1
            )
            SELECT count(*) FROM deleted
            """, [String(hour), String(limit)])
        return Int(deleted.int64(0, 0))
    }
}
