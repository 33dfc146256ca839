extension SharedStore {
    /// Deletes up to `limit` visitor pairs whose click came before `time` (seconds since the
    /// epoch), in one transaction of its own; returns how many. Counters stay (they hold no
    /// visitor). The pairs are found through `visitors_by_hour`, so a run with nothing (or little)
    /// to delete reads only those pairs, never the whole table. A pair shipped before pairs had
    /// their time (schema version 14) is dated by its hour's last second.
    public func deleteVisitors(before time: Int64, limit: Int) throws(PostgresError) -> Int {
        let deleted = try connection.query("""
            WITH deleted AS (
                DELETE FROM visitors WHERE ctid IN (SELECT ctid FROM visitors
                    WHERE hour <= $1 AND coalesce(time, hour * 3600 + 3599) < $2 LIMIT $3)
                RETURNING 1
            )
            SELECT count(*) FROM deleted
            """, [String(time.hourBucket), String(time), String(limit)])
        return Int(deleted.int64(0, 0))
    }
}
