import ShareTrackCore

extension QueryText {
    /// The columns of a fact-table row (`export`), in the order `ExportRow(row:)` reads them.
    static let factColumns = "token, hour, attributed, advocate, venue, campaign, network, followers, tier, "
        + Rows.counterNames.joined(separator: ", ")

    /// The fact table `filter` selects: every counter row (orphans too, unless an attribution
    /// filter leaves them out) with its share's attribution, in (token, hour) order, bytewise.
    /// A key may come as consecutive rows (a stored and a live part, locally), to be summed. A row
    /// of zeros counts nothing and is left out (a shared store keeps one where it dropped a second
    /// node's share of a token).
    public func export(_ filter: QueryFilter) -> (sql: String, values: [SQLValue]) {
        let shares = dialect.exportShares.indices.map { "s\($0)" }
        let attribute = { (column: String) in
            shares.count == 1 ? "\(shares[0]).\(column)"
                : "COALESCE(\(shares.map { "\($0).\(column)" }.joined(separator: ", ")))"
        }
        let joins = zip(dialect.exportShares, shares).map { "LEFT JOIN \($0) \($1) ON \($1).token = c.token" }
        let attributes = ["advocate", "venue", "campaign", "network", "followers", "tier"]
            .map { "\(attribute($0)) AS \($0)" }.joined(separator: ", ")
        let (conditions, values) = conditions(filter)
        return ("""
            SELECT \(Self.factColumns) FROM (
                SELECT c.token AS token, c.hour AS hour,
                    CASE WHEN \(attribute("token")) IS NULL THEN 0 ELSE 1 END AS attributed, \(attributes),
                    \(Rows.counterNames.map { "c.\($0) AS \($0)" }.joined(separator: ", "))
                FROM \(dialect.exportCounters) c \(joins.joined(separator: " "))
            ) AS facts
            WHERE \(conditions) AND (\(Rows.counterNames.map { "\($0) <> 0" }.joined(separator: " OR ")))
            ORDER BY token\(dialect.bytewise), hour
            """, values)
    }

    /// Counter sums per hour bucket over `from` (rows with an `hour`), oldest first.
    public func trend(from: String) -> String {
        "SELECT hour, \(sums) FROM \(from) GROUP BY hour ORDER BY hour"
    }
}
