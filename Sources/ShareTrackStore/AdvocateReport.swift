/// One advocate: totals, the same split per network, venue and tier, and the latest shares.
///
/// In JSON: `{"advocate":"ann","totals":{"shares":..,...},"networks":[{"network":"instagram",...}],
/// "venues":[{"venue":"v1",...}],"tiers":[{"tier":"micro",...}],"recent_shares":[{"share":"k3x9",...}]}`.
public struct AdvocateReport: Codable, Sendable, Equatable {
    public var advocate: String
    public var totals: CounterTotals
    /// Sorted by network.
    public var networks: [GroupRow]
    /// Sorted by venue id.
    public var venues: [GroupRow]
    /// In tier order, only tiers with counters in range.
    public var tiers: [GroupRow]
    /// The latest shares with counters in range (at most 10), newest first.
    public var recentShares: [ShareReport]

    public init(advocate: String, totals: CounterTotals, networks: [GroupRow], venues: [GroupRow], tiers: [GroupRow],
                recentShares: [ShareReport]) {
        self.advocate = advocate
        self.totals = totals
        self.networks = networks
        self.venues = venues
        self.tiers = tiers
        self.recentShares = recentShares
    }
}
