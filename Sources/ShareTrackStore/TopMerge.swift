import ShareTrackCore

/// `top` by an additive ranking `key` from the first rows of an all-time advocate rollup in ranking
/// order, plus the advocates' counters the rollups do not hold yet (the live ones: the daemon's
/// batches not applied, the shared store's rollup log): the one merge of `Queries.topMerged` and
/// `SharedQueries`.
///
/// The rows read (at most `depth`, ties by advocate) give their advocates' stored totals: the rows
/// themselves where `rowsAreTotals`, else looked up under the answer's filter (`storedTotals`,
/// which leaves out an advocate with no stored row there). With their live counters added,
/// `least` is the `limit`th highest of those totals. Every row past those has a key of at most the
/// last row's (`floor`), so an advocate with none of the rows read has a stored key of at most
/// `bound` (`most` times `floor`, or 0, the key of no rows, when `floor` is not above it), and can
/// rank only if it has live counters with `bound + key(live) >= least`: only those get their
/// stored totals looked up. Exact; nil when `bound` is not below `least` (ties that deep, or
/// advocates with many small rows: the caller's SQL decides).
///
/// The rows may be a rollup's that holds the answer's counters among others (`QueryText.boundingRows`):
/// each advocate's total there is at least its total under the answer's filter, and `most` is
/// that rollup's.
public struct TopMerge {
    /// The largest `--limit` a bounding rollup answers (`QueryText.bounds(of:limit:over:)`):
    /// the rows read and the advocates looked up grow with it, and at 2M shares summing every
    /// advocate was faster from 1,000 on (`top --campaign --network`: 330 against 428 ms at 1,000,
    /// 372 against 668 at 5,000; `top --campaign`: 158 against 219, 176 against 383).
    public static let largestLimit = 256

    /// How many times `topDepth` more rows are read over a range (`depth(_:topDepth:_:)`).
    static let rangeDepthFactor = 4

    /// The most rows read for `limit`: `topDepth` more, over a range `rangeDepthFactor` times as
    /// many (its bounds, all-time totals, are looser: at 2M shares the 20th advocate of the last 7
    /// days was the 353rd of all time, of 3 days the 677th).
    public static func depth(_ limit: Int, topDepth: Int, _ filter: QueryFilter) -> Int {
        limit + topDepth * (filter.isRanged ? rangeDepthFactor : 1)
    }

    public let limit: Int
    /// The most rows read: fewer means every row was.
    public let depth: Int
    public let key: (Counters) -> Int64
    /// The most rows one advocate has in the rollup read.
    public let most: Int64
    /// Whether the rows read, summed per advocate, are their advocates' whole stored totals under
    /// the answer's filter (one row per advocate, or every row read, of the filter's own rollup).
    public let rowsAreTotals: Bool

    public init(limit: Int, depth: Int, key: @escaping (Counters) -> Int64, most: Int64, rowsAreTotals: Bool) {
        self.limit = limit
        self.depth = depth
        self.key = key
        self.most = most
        self.rowsAreTotals = rowsAreTotals
    }

    /// The totals of every advocate that may rank, from the rows read (`stored`), the live
    /// counters (one entry per advocate) and `storedTotals` of the advocates given; nil where the
    /// rows read do not decide (see above).
    public func totals(stored: [(advocate: String, counters: Counters)],
                       live: some Collection<(advocate: String, counters: Counters)>,
                       storedTotals: ([String]) throws -> [String: Counters]) throws -> [String: Counters]? {
        var totals: [String: Counters] = [:]
        if rowsAreTotals {
            for (advocate, counters) in stored { totals[advocate, default: Counters()].add(counters) }
        } else {
            totals = try storedTotals(Array(Set(stored.map(\.advocate))))
        }
        for (advocate, more) in live { totals[advocate]?.add(more) }
        // The live advocates outside the rows read: with their live counters alone where every
        // row was read, else only those that may rank (`threshold`), with their stored totals.
        var threshold: (bound: Int64, least: Int64)?
        if stored.count == depth {
            let floor = key(stored[depth - 1].counters)
            let (bound, overflow) = floor > 0 ? floor.multipliedReportingOverflow(by: most) : (0, false)
            guard !overflow, totals.count >= limit, case let least = totals.values.map(key).sorted(by: >)[limit - 1],
                  bound < least
            else { return nil }
            threshold = (bound, least)
        }
        let newcomers = live.filter { advocate, counters in
            totals[advocate] == nil && threshold.map { $0.bound + key(counters) >= $0.least } ?? true
        }
        let theirs = threshold == nil ? [:] : try storedTotals(newcomers.map(\.advocate))
        for (advocate, counters) in newcomers {
            totals[advocate, default: theirs[advocate] ?? Counters()].add(counters)
        }
        return totals
    }
}
