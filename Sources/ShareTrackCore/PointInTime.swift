/// A time as `sharectl --since/--until` accept it: a duration before now (`90m`, `24h`, `7d`) or
/// an RFC 3339 time.
public enum PointInTime: Sendable, Equatable {
    /// This many seconds before now.
    case ago(Int64)
    /// Seconds since the epoch.
    case at(Int64)

    /// `nil` if `text` is neither a duration (see `Formatting.parseDuration`) nor an RFC 3339 time;
    /// a time's fraction of a second rounded down, or up with `roundingUp` (`RFC3339.parse`): in the
    /// last second RFC 3339 can write, up to that second, which ends the same hour.
    public init?(_ text: some StringProtocol, roundingUp: Bool = false) {
        if let seconds = Formatting.parseDuration(text) {
            self = .ago(seconds)
        } else if let time = RFC3339.parse(text, roundingUp: roundingUp) {
            self = .at(min(time, QueryFilter.timeRange.upperBound))
        } else {
            return nil
        }
    }

    /// Seconds since the epoch, relative ones counted back from `now`.
    public func seconds(now: Int64) -> Int64 {
        switch self {
        case .ago(let seconds): now - seconds
        case .at(let time): time
        }
    }
}
