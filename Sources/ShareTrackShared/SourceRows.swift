/// Writing producers' rows into the store's `sources` (one per node and source).
enum SourceRows {
    /// The columns after `node` and `source`.
    static let states = ["highest_seq", "last_seen", "accepted", "rejected", "duplicates", "test"]

    /// Inserts into `sources` (aliased `o`) a row per row of `from`: `node` and `source` (SQL
    /// expressions over it), then its `states` columns; a row of the same node and source already
    /// there is updated to `kept(column)` of each state column (`excluded.column` the new one's).
    static func upsertSQL(node: String, source: String, from: String, kept: (String) -> String) -> String {
        """
        INSERT INTO sources AS o (node, source, \(states.joined(separator: ", ")))
        SELECT \(node), \(source), \(states.joined(separator: ", ")) FROM \(from)
        ON CONFLICT (node, source) DO UPDATE SET
            \(states.map { "\($0) = \(kept($0))" }.joined(separator: ",\n    "))
        """
    }
}
