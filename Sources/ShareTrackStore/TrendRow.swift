/// The counters of one hour bucket: a point of the trend over time.
///
/// In JSON the hour (RFC 3339, UTC) followed by the counters:
/// `{"hour":"2026-11-27T20:00:00Z","shares":3,...,"engagement_rate":0.0125}`.
public struct TrendRow: Codable, Sendable, Equatable {
    public var hour: String
    public var totals: CounterTotals

    public init(hour: String, totals: CounterTotals) {
        self.hour = hour
        self.totals = totals
    }

    private enum CodingKeys: String, CodingKey {
        case hour
    }

    public init(from decoder: any Decoder) throws {
        hour = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .hour)
        totals = try CounterTotals(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hour, forKey: .hour)
        try totals.encode(to: encoder)
    }
}
