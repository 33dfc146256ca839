import Glibc
import ShareTrackCore

/// The `nodes` table of a shared store, read-only.
public enum SharedNodes {
    public static func read(_ connection: PostgresConnection) throws(PostgresError) -> [NodeRow] {
        let rows = try connection.query("""
            SELECT node, generation, batch_time, extract(epoch FROM shipped_at)::bigint, events,
                greatest(0, extract(epoch FROM now() - caught_up_at))::float8
            FROM nodes ORDER BY node
            """)
        return (0..<rows.count).map { row in
            NodeRow(node: rows.string(row, 0) ?? "", generation: UInt64(rows.int64(row, 1)), batchTime: rows.int64(row, 2),
                    shippedAt: rows.int64(row, 3), events: rows.int64(row, 4), behindSeconds: rows.double(row, 5))
        }
    }

    /// Whether `database` (a `--db` argument) names a PostgreSQL shared store rather than a file:
    /// a URI or key=value pairs, and no file of that name (`password=x.db` is a file).
    public static func isConnectionString(_ database: String) -> Bool {
        (database.hasPrefix("postgresql://") || database.hasPrefix("postgres://") || database.contains("="))
            && access(database, F_OK) != 0
    }
}
