/// One row of a per-dimension list: the advocate, venue, network or tier, and its counters.
///
/// In JSON the dimension names itself, followed by the counters:
/// `{"venue":"v1","shares":3,"reach":2400,...,"engagement_rate":0.0125}`; `tiers` rows also carry
/// `advocates`.
public struct GroupRow: Codable, Sendable, Equatable {
    public enum Dimension: String, Codable, Sendable, CaseIterable {
        case advocate, venue, network, tier
    }

    public var dimension: Dimension
    /// The advocate id, venue id, network or tier name.
    public var name: String
    /// Distinct advocates with counters in the row (`tiers` only).
    public var advocates: Int64?
    public var totals: CounterTotals

    public init(_ dimension: Dimension, _ name: String, advocates: Int64? = nil, totals: CounterTotals) {
        self.dimension = dimension
        self.name = name
        self.advocates = advocates
        self.totals = totals
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard let dimension = Dimension.allCases.first(where: { container.contains(AnyKey($0.rawValue)) }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                   debugDescription: "a row names no advocate, venue, network or tier"))
        }
        self.dimension = dimension
        name = try container.decode(String.self, forKey: AnyKey(dimension.rawValue))
        advocates = try container.decodeIfPresent(Int64.self, forKey: AnyKey("advocates"))
        totals = try CounterTotals(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(name, forKey: AnyKey(dimension.rawValue))
        try container.encodeIfPresent(advocates, forKey: AnyKey("advocates"))
        try totals.encode(to: encoder)
    }
}

/// A coding key made from any string, for rows whose key names depend on their content.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) {
        stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
