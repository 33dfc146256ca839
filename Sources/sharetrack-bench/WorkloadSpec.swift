/// The shape of the generated stream. Everything random is drawn from `seed`, so a spec gives the
/// same events every time; only the time span moves with the clock (it ends at the last whole hour
/// before the run), since the daemon rejects event times in the future.
struct WorkloadSpec: Sendable, Codable {
    var events: Int
    var connections: Int
    var seed: UInt64
    /// The seed of the advocates (`Advocate.population`), if not `seed`'s.
    var advocateSeed: UInt64?
    var advocates = 100_000
    var venues = 20
    var campaigns = 5
    var networks = ["instagram", "facebook", "tiktok", "x", "youtube"]
    /// Followers are log-normal: median `followersMedian`, sigma `followersSigma` (of the logarithm);
    /// with 1,500 and 2.2 the advocates fall about 43% nano, 28% micro, 26% mid, 3% macro, 0.2% mega.
    var followersMedian = 1_500.0
    var followersSigma = 2.2
    var clicksPerShare = 10.0
    var conversionsPerShare = 0.3
    /// Clicks pick shares with probability ~ 1 / rank^exponent.
    var zipfExponent = 0.9
    /// Of the clicks: flagged as bots; of the rest, carrying a visitor id from the pool.
    var botFraction = 0.02
    var visitorFraction = 0.7
    var visitorPool = 250_000
    /// Clicks (and conversions) that reach the stream before their share: the redirector was faster.
    var orphanFraction = 0.005
    var days = 7
    /// Seconds since the epoch where the span ends (a whole hour, not in the future).
    var spanEnd: Int64
    /// Set when the bench targets a daemon it did not start: mixed into share tokens and source
    /// names so that a second run is not answered as duplicates of the first.
    var runTag: String?

    /// How many of each event type a stream of `events` holds: 1 share : ~10 clicks : ~0.3 conversions.
    var counts: (shares: Int, clicks: Int, conversions: Int) {
        let perShare = 1 + clicksPerShare + conversionsPerShare
        let shares = max(1, Int((Double(events) / perShare).rounded()))
        let rest = max(0, events - shares)
        let clicks = Int((Double(rest) * clicksPerShare / (clicksPerShare + conversionsPerShare)).rounded())
        return (min(shares, events), clicks, rest - clicks)
    }
}
