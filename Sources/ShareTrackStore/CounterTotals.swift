import ShareTrackCore

/// Counters summed over some shares and hour buckets, with the engagement rate they give.
///
/// In JSON: `shares`, `reach`, `clicks`, `unique_clicks`, `bot_clicks`, `conversions`, `value`,
/// `engagement_rate`.
public struct CounterTotals: Codable, Sendable, Equatable {
    public var shares: Int64
    public var reach: Int64
    public var clicks: Int64
    public var uniqueClicks: Int64
    public var botClicks: Int64
    public var conversions: Int64
    public var value: Money
    /// `unique_clicks / reach`, 0 where reach is 0.
    public var engagementRate: Double

    public init(_ counters: Counters = Counters()) {
        shares = counters.shares
        reach = counters.reach
        clicks = counters.clicks
        uniqueClicks = counters.uniqueClicks
        botClicks = counters.botClicks
        conversions = counters.conversions
        value = counters.value
        engagementRate = counters.engagementRate
    }
}
