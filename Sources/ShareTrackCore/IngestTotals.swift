/// The event types of ingest protocol v1.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case share, click, conversion

    /// Where `IngestTotals` counts it: 0, 1, 2.
    var position: Int {
        switch self {
        case .share: 0
        case .click: 1
        case .conversion: 2
        }
    }
}

/// What the daemon has answered since it started.
public struct IngestTotals: Sendable, Equatable {
    /// Accepted events per type seen.
    public var accepted: [EventType: Int64] {
        Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0, acceptedPerType[$0.position]) }.filter { $0.1 > 0 })
    }
    /// Accepted events per type, at the type's `position`: counted for every event, so not in a
    /// dictionary (its hashing was about 2% of ingest's CPU).
    private var acceptedPerType = [Int64](repeating: 0, count: EventType.allCases.count)
    public var rejected: [ErrorCode: Int64] = [:]
    public var duplicates: Int64 = 0
    /// Clicks and conversions whose share was not known when they arrived.
    public var orphans: Int64 = 0
    /// Test events (`"test": true`): answered, counted nowhere else.
    public var test: Int64 = 0

    public init() {}

    public var acceptedCount: Int64 { acceptedPerType.reduce(0, +) }
    public var rejectedCount: Int64 { rejected.values.reduce(0, +) }

    mutating func count(acceptedType type: EventType, orphan: Bool = false) {
        acceptedPerType[type.position] += 1
        if orphan { orphans += 1 }
    }
}
