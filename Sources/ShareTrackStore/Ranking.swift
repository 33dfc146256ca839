/// What `top` ranks advocates by, highest first.
public enum Ranking: String, Codable, Sendable, CaseIterable {
    case clicks
    case uniqueClicks = "unique_clicks"
    case shares, reach
    /// `engagement_rate`.
    case engagement
    case conversions, value

    /// The SQL aggregate it sorts on.
    var sql: String {
        switch self {
        case .clicks: "SUM(clicks)"
        case .uniqueClicks: "SUM(unique_clicks)"
        case .shares: "SUM(shares)"
        case .reach: "SUM(reach)"
        case .engagement: "CASE WHEN SUM(reach) > 0 THEN CAST(SUM(unique_clicks) AS REAL) / SUM(reach) ELSE 0.0 END"
        case .conversions: "SUM(conversions)"
        case .value: "TOTAL(value)"
        }
    }
}
