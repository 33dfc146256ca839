import ShareTrackCore

/// One share: its attribution (absent while the token is not shared yet) and its counters.
///
/// In JSON, flat: `{"share":"k3x9","advocate":"ann","venue":"v1","campaign":"xmas","network":"instagram",
/// "followers":1200,"tier":"micro","time":"2026-11-27T20:15:00Z","shares":1,...,"engagement_rate":0.01,
/// "orphan_clicks":0,"orphan_conversions":0}`.
public struct ShareReport: Codable, Sendable, Equatable {
    /// The share token.
    public var share: String
    public var attribution: ShareAttribution?
    public var totals: CounterTotals
    /// Clicks and conversions not attributed yet: those of a token whose share is not recorded.
    public var orphanClicks: Int64
    public var orphanConversions: Int64

    public init(share: String, attribution: ShareAttribution?, totals: CounterTotals) {
        self.share = share
        self.attribution = attribution
        self.totals = totals
        orphanClicks = attribution == nil ? totals.clicks : 0
        orphanConversions = attribution == nil ? totals.conversions : 0
    }

    private enum CodingKeys: String, CodingKey {
        case share, advocate, orphanClicks, orphanConversions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        share = try container.decode(String.self, forKey: .share)
        attribution = container.contains(.advocate) ? try ShareAttribution(from: decoder) : nil
        totals = try CounterTotals(from: decoder)
        orphanClicks = try container.decode(Int64.self, forKey: .orphanClicks)
        orphanConversions = try container.decode(Int64.self, forKey: .orphanConversions)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(share, forKey: .share)
        try attribution?.encode(to: encoder)
        try totals.encode(to: encoder)
        try container.encode(orphanClicks, forKey: .orphanClicks)
        try container.encode(orphanConversions, forKey: .orphanConversions)
    }
}

/// Who shared, where, to how many followers, and when. In JSON `campaign` is `null` for a share
/// without one (as in `export`), never left out.
public struct ShareAttribution: Codable, Sendable, Equatable {
    public var advocate: String
    public var venue: String
    @NullWhenAbsent public var campaign: String?
    public var network: String
    public var followers: Int64
    public var tier: Tier
    /// Share time, RFC 3339 UTC.
    public var time: String

    public init(advocate: String, venue: String, campaign: String?, network: String, followers: Int64, tier: Tier,
                time: String) {
        self.advocate = advocate
        self.venue = venue
        self.campaign = campaign
        self.network = network
        self.followers = followers
        self.tier = tier
        self.time = time
    }
}
