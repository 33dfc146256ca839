/// `visitor_retention` in `status`: the retention, and what its last run removed.
///
/// In JSON: `{"seconds":7776000,"last_run":"2026-11-27T20:15:00Z","removed_last_run":120,"removed_total":4512}`
/// (`last_run`: RFC 3339, like every time in `status`, absent before the first run; `seconds` 0: off).
public struct RetentionReport: Codable, Sendable, Equatable {
    public var seconds: Double = 0
    public var lastRun: String?
    /// Visitor pairs the last run deleted.
    public var removedLastRun: Int64 = 0
    /// Visitor pairs deleted since the daemon started.
    public var removedTotal: Int64 = 0

    public init() {}

    /// The time (seconds since the epoch) before which a click's visitor pair is older than
    /// `retention` seconds at `now`: such a pair has come of age and is deleted.
    public static func cutoff(now: Double, retention: Double) -> Int64 {
        Int64((now - retention).rounded(.down))
    }
}
