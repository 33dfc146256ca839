import Glibc

/// An advocate of the generated workloads: a follower count (log-normal), a home venue and the one
/// network it shares on (indexes into the workload's venues and networks).
struct Advocate: Sendable {
    var followers: Int
    var venue: Int
    var network: Int

    /// `count` advocates drawn from `seed`: the same for the same arguments, so that `--queries`'
    /// live ingest continues the population of the database it built (same names, followers,
    /// homes and networks) instead of giving each name another tier and network.
    static func population(seed: UInt64, count: Int = 100_000, venues: Int = 20, networks: Int = 5,
                           followersMedian: Double = 1_500, followersSigma: Double = 2.2) -> [Advocate] {
        var random = SeededGenerator(seed: seed, stream: 1)
        let logMedian = log(followersMedian)
        return (0..<count).map { _ in
            Advocate(followers: min(1_000_000_000, max(0, Int(exp(logMedian + followersSigma * random.normal()).rounded()))),
                     venue: random.below(venues), network: random.below(networks))
        }
    }
}
