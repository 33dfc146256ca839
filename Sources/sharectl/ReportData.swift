import ShareTrackCore
import ShareTrackStore

/// The numbers of `sharectl report`, asked of the daemon (or read with `--db`) with the same
/// queries as `tiers`, `top`, `advocate` and `venues`, plus `networks` and `trend`: so the page
/// shows exactly what `sharectl ... --json` shows for the same range and filters.
struct ReportData {
    /// One top advocate, with the tier and venue of most of their shares in the range.
    struct Advocate {
        var row: GroupRow
        var tier: String
        var venue: String
        /// Other venues with shares in the range.
        var otherVenues: Int
    }

    /// One bar of the trend: an hour or a day.
    struct TrendPoint {
        /// Its first hour bucket.
        var hour: Int64
        var uniqueClicks: Int64 = 0
        var shares: Int64 = 0
        var clicks: Int64 = 0
    }

    static let topCount = 10
    /// The trend is per hour up to 97 hours: 4 days and the hour under way, which a relative
    /// `--since 4d` takes in.
    static let longestHourlyTrend: Int64 = 97
    /// Ten years: a trend over a range longer than that covers only the hours with data.
    static let longestTrendHours: Int64 = 87_660

    var filter: QueryFilter
    /// The range shown, in hour buckets `[first, end)`; nil ends where the data ends.
    var firstHour: Int64?
    var endHour: Int64?
    var totals: CounterTotals
    /// The range of the same length just before, and its totals when it has data.
    var previousHours: Int64?
    var previous: CounterTotals?
    var tiers: [GroupRow]
    var trendByDay: Bool
    var trend: [TrendPoint]
    var advocates: [Advocate]
    var venues: [GroupRow]
    var venueCount: Int
    var networks: [GroupRow]

    var isEmpty: Bool { trend.isEmpty }

    init(_ filter: QueryFilter, now: Int64, answers: QueryAnswers) throws {
        // A start without an end ends with the hour under way, for every number of the page (the
        // title's range): an event up to the 5 minutes ingest allows ahead, in the next hour, is
        // in none of them.
        var filter = filter
        let hourEnd = now.hourBucket + 1
        if let since = filter.sinceHour, filter.untilHour == nil, since < hourEnd { filter.until = hourEnd * 3600 }
        self.filter = filter
        func ask<Answer: Decodable>(_ command: ControlRequest.Command, _ query: Query) throws -> Answer {
            try answers.answer(ControlRequest(command: command, query: query), now: now)
        }
        tiers = try ask(.tiers, Query(filter: filter))
        totals = Self.sum(tiers.map(\.totals))
        let hourly: [TrendRow] = try ask(.trend, Query(filter: filter))
        let hours = hourly.compactMap { RFC3339.parse($0.hour).map { $0.hourBucket } }
        firstHour = filter.sinceHour ?? hours.first
        // A `--since` after now: no hour at all.
        endHour = filter.untilHour ?? filter.sinceHour ?? hours.last.map { $0 + 1 }

        // A range of no hour has no range before it to compare with, nor one that would begin
        // before the year 1.
        if let first = filter.sinceHour, let end = endHour, end > first,
           (first - (end - first)) * 3600 >= QueryFilter.timeRange.lowerBound {
            previousHours = end - first
            var earlier = filter
            earlier.since = (first - (end - first)) * 3600
            earlier.until = first * 3600
            // Its totals alone, from its trend: `tiers` would also count each tier's advocates in it,
            // at 2M shares most of the time of a report over 30 days (2.8 s of 7.1-7.4).
            let earlierTrend: [TrendRow] = try ask(.trend, Query(filter: earlier))
            let previous = Self.sum(earlierTrend.map(\.totals))
            if previous.shares + previous.clicks + previous.botClicks + previous.conversions > 0 {
                self.previous = previous
            }
        }

        // A range far wider than ten years (`--until 9999-12-31`) would make a page of millions of
        // empty days: the trend then covers the hours from the first to the last with data.
        var (trendFirst, trendEnd) = (firstHour, endHour)
        if let first = firstHour, let end = endHour, end - first > Self.longestTrendHours,
           let firstData = hours.first, let lastData = hours.last {
            (trendFirst, trendEnd) = (max(first, firstData), min(end, lastData + 1))
        }
        trendByDay = (trendEnd ?? 0) - (trendFirst ?? 0) > Self.longestHourlyTrend
        trend = Self.buckets(hourly, hours: hours, from: trendFirst, to: trendEnd, byDay: trendByDay)

        let top: [GroupRow] = try ask(.top, Query(by: Ranking.uniqueClicks.rawValue, limit: Self.topCount, filter: filter))
        advocates = try top.map { row in
            let report: AdvocateReport = try ask(.advocate, Query(id: row.name, filter: filter))
            let mostShares = { (rows: [GroupRow]) in
                rows.max { ($0.totals.shares, $0.totals.uniqueClicks) < ($1.totals.shares, $1.totals.uniqueClicks) }
            }
            return Advocate(row: row, tier: mostShares(report.tiers)?.name ?? "", venue: mostShares(report.venues)?.name ?? "",
                            otherVenues: max(0, report.venues.count { $0.totals.shares > 0 } - 1))
        }
        let venues: [GroupRow] = try ask(.venues, Query(filter: filter))
        venueCount = venues.count
        self.venues = Array(Self.byUniqueClicks(venues).prefix(Self.topCount))
        networks = Self.byUniqueClicks(try ask(.networks, Query(filter: filter)))
    }

    /// Most unique clicks first, ties by name.
    private static func byUniqueClicks(_ rows: [GroupRow]) -> [GroupRow] {
        rows.sorted { ($1.totals.uniqueClicks, $0.name) < ($0.totals.uniqueClicks, $1.name) }
    }

    private static func sum(_ rows: [CounterTotals]) -> CounterTotals {
        var sum = Counters()
        for totals in rows {
            sum.shares += totals.shares
            sum.reach += totals.reach
            sum.clicks += totals.clicks
            sum.uniqueClicks += totals.uniqueClicks
            sum.botClicks += totals.botClicks
            sum.conversions += totals.conversions
            sum.value.thousandths += totals.value.thousandths
        }
        return CounterTotals(sum)
    }

    /// Every hour (or UTC day) of the range, zeros included.
    private static func buckets(_ rows: [TrendRow], hours: [Int64], from first: Int64?, to end: Int64?,
                                byDay: Bool) -> [TrendPoint] {
        guard let first, let end, !rows.isEmpty else { return [] }
        let width: Int64 = byDay ? 24 : 1
        let start = byDay ? first.floorDiv(24) * 24 : first
        var points = stride(from: start, to: end, by: Int(width)).map { TrendPoint(hour: $0) }
        for (row, hour) in zip(rows, hours) {
            let index = Int((hour - start).floorDiv(width))
            guard points.indices.contains(index) else { continue }
            points[index].uniqueClicks += row.totals.uniqueClicks
            points[index].shares += row.totals.shares
            points[index].clicks += row.totals.clicks
        }
        return points
    }
}

extension Int64 {
    /// Division rounded toward minus infinity.
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        self >= 0 ? self / divisor : (self - divisor + 1) / divisor
    }
}
