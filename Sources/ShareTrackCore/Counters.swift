/// The additive counters of one share in one hour bucket (or any sum of them).
public struct Counters: Sendable, Equatable, Codable {
    public var shares: Int64 = 0
    public var reach: Int64 = 0
    public var clicks: Int64 = 0
    public var uniqueClicks: Int64 = 0
    public var botClicks: Int64 = 0
    public var conversions: Int64 = 0
    public var value = Money.zero

    public init() {}

    public mutating func add(_ other: Counters) {
        shares += other.shares
        reach += other.reach
        clicks += other.clicks
        uniqueClicks += other.uniqueClicks
        botClicks += other.botClicks
        conversions += other.conversions
        value.thousandths += other.value.thousandths
    }

    /// Takes `other` (a part of these) away.
    public mutating func subtract(_ other: Counters) {
        shares -= other.shares
        reach -= other.reach
        clicks -= other.clicks
        uniqueClicks -= other.uniqueClicks
        botClicks -= other.botClicks
        conversions -= other.conversions
        value.thousandths -= other.value.thousandths
    }

    /// Whether every counter is 0: a sum of no counter rows (each row counts something).
    public var isZero: Bool { self == Counters() }

    /// `unique_clicks / reach`, 0 where reach is 0.
    public var engagementRate: Double {
        reach == 0 ? 0 : Double(uniqueClicks) / Double(reach)
    }
}

/// A counter row's identity: one share token in one UTC hour.
public struct CounterKey: Hashable, Sendable {
    public var token: String
    /// Hours since the Unix epoch (`seconds / 3600`, rounded down).
    public var hour: Int64

    public init(token: String, hour: Int64) {
        self.token = token
        self.hour = hour
    }
}

extension Int64 {
    /// The hour bucket (hours since the epoch) that holds this many seconds since the epoch.
    public var hourBucket: Int64 {
        // Rounded down, for negative times too, without overflowing at `Int64.min`.
        self >= 0 ? self / 3600 : -((-(self + 1)) / 3600) - 1
    }
}
