import Glibc
import ShareTrackCore
import ShareTrackStore

/// Builds a database for `--queries` directly through `Store.apply`, without the daemon: the bench
/// workload's shape (100,000 advocates with log-normal followers, 20 venues, 5 campaigns, 5
/// networks, about 10 clicks per share with Zipf-like popularity, each click within hours of its
/// share) over `days` days, in batches of `sharesPerBatch` shares in time order.
///
/// Visitor pairs are not written (no query reads them); clicks are summed per share and hour as
/// the daemon sums them.
struct DatabaseBuilder {
    var shares: Int
    var clicksPerShare = 10.0
    var days = 90
    var seed: UInt64
    var sharesPerBatch = 20_000
    /// Seconds since the epoch where the span ends.
    var spanEnd: Int64

    static let advocates = 100_000
    static let venues = 20
    static let campaigns = 5
    static let networks = ["instagram", "facebook", "tiktok", "x", "youtube"]

    /// Share `index`'s token (10 characters, like the live workload's, from another seed).
    private func token(_ index: Int) -> String {
        String(decoding: Workload.token(seed: seed ^ 0xB1D_DA7A, index: index), as: UTF8.self)
    }

    private static func advocate(_ index: Int) -> String {
        "adv-" + String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index)
    }

    /// Writes the database at `path`; `progress` is told the shares written so far.
    func build(at path: String, progress: (Int) -> Void) throws {
        let store = try Store(path: path, visitorKey: .random())
        let advocates = Advocate.population(seed: seed, count: Self.advocates, venues: Self.venues,
                                            networks: Self.networks.count)
        var random = SeededGenerator(seed: seed, stream: 11)
        // Popularity: share i has rank ranks[i]; expected clicks follow 1 / (rank + 1)^0.9.
        var ranks = Array(0..<shares)
        for i in stride(from: shares - 1, to: 0, by: -1) { ranks.swapAt(i, random.below(i + 1)) }
        let harmonic = (1...shares).reduce(0.0) { $0 + 1 / pow(Double($1), 0.9) }
        let totalClicks = clicksPerShare * Double(shares)
        let spanStart = spanEnd - Int64(days) * 86_400
        let step = Double(Int64(days) * 86_400 - 3_600) / Double(shares)

        var generation: UInt64 = 0
        for first in stride(from: 0, to: shares, by: sharesPerBatch) {
            generation += 1
            var batch = Batch(generation: generation)
            for index in first..<min(shares, first + sharesPerBatch) {
                let number = random.below(Self.advocates)
                let advocate = advocates[number]
                let time = spanStart + Int64(Double(index) * step)
                let token = token(index)
                let attributes = ShareAttributes(
                    advocate: Self.advocate(number),
                    venue: "venue-" + (random.chance(0.85) ? advocate.venue : random.below(Self.venues)).padded,
                    campaign: random.chance(0.8) ? "campaign-\(random.below(Self.campaigns) + 1)" : nil,
                    network: Self.networks[advocate.network], followers: advocate.followers)
                let share = ShareRecord(token: token, attributes: attributes,
                                        tier: TierBounds.default.tier(forFollowers: advocate.followers), time: time)
                batch.add(share)
                var shareCounters = Counters()
                shareCounters.shares = 1
                shareCounters.reach = Int64(advocate.followers)
                batch.add(shareCounters, at: CounterKey(token: token, hour: time.hourBucket))
                let expected = totalClicks / pow(Double(ranks[index] + 1), 0.9) / harmonic
                let clicks = Int(expected) + (random.unit() < expected - expected.rounded(.down) ? 1 : 0)
                var perHour: [Int64: Counters] = [:]
                for _ in 0..<clicks {
                    let hour = min(spanEnd - 1, time + 1 + Int64(random.exponential(mean: 7_200))).hourBucket
                    var delta = Counters()
                    if random.chance(0.02) {
                        delta.botClicks = 1
                    } else {
                        delta.clicks = 1
                        delta.uniqueClicks = random.chance(0.6) ? 1 : 0
                        if random.chance(0.03) {
                            delta.conversions = 1
                            delta.value = Money(thousandths: Int64(random.below(10_000)) * 10)
                        }
                    }
                    perHour[hour, default: Counters()].add(delta)
                }
                for (hour, counters) in perHour { batch.add(counters, at: CounterKey(token: token, hour: hour)) }
            }
            batch.events = 1
            try store.apply(batch)
            store.database.checkpoint()
            store.releaseCache()
            progress(min(shares, first + sharesPerBatch))
        }
    }
}

extension Int {
    /// Two digits at least: `venue-07`, as the live workload names venues.
    fileprivate var padded: String { self < 10 ? "0\(self)" : "\(self)" }
}
