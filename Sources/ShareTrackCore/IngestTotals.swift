/// The event types of ingest protocol v1.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case share, click, conversion
}

/// What the daemon has answered since it started.
public struct IngestTotals: Sendable, Equatable, Codable {
    public var accepted: [EventType: Int64] = [:]
    public var rejected: [ErrorCode: Int64] = [:]
    public var duplicates: Int64 = 0
    /// Clicks and conversions whose share was not known when they arrived.
    public var orphans: Int64 = 0
    /// Test events (`"test": true`): answered, counted nowhere else.
    public var test: Int64 = 0

    public init() {}

    public var acceptedCount: Int64 { accepted.values.reduce(0, +) }
    public var rejectedCount: Int64 { rejected.values.reduce(0, +) }

    mutating func count(acceptedType type: EventType, orphan: Bool = false) {
        accepted[type, default: 0] += 1
        if orphan { orphans += 1 }
    }
}
