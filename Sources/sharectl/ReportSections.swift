import Foundation
import ShareTrackCore
import ShareTrackStore

/// The report's sections below the title: headline totals, engagement by tier, the trend, top
/// advocates, venues and networks; each chart with a table of its numbers. `chartJSON` holds what
/// the script draws.
struct ReportSections {
    var data: ReportData

    var html: String {
        [ReportHeadline(data: data).html, tiers, trend, advocates, venues, networks]
            .joined(separator: "\n")
    }

    // MARK: Sections

    private var tiers: String {
        let table = ReportTable(
            id: "table-tiers", caption: "Engagement by follower tier",
            columns: ["Tier", "Advocates", "Shares", "Reach", "Unique clicks", "Engagement"],
            rows: data.tiers.enumerated().map { index, row in
                [.swatch(row.name, color: ReportScript.tierColors[index % ReportScript.tierColors.count]),
                 .integer(row.advocates ?? 0), .integer(row.totals.shares), .integer(row.totals.reach),
                 .integer(row.totals.uniqueClicks), .rate(row.totals.engagementRate)]
            })
        return section("tiers", "Engagement by follower tier", lead: tierLead, chart: "chart-tiers", table: table, pair: true)
    }

    /// The product's headline: small audiences (nano and micro) against the large ones.
    private var tierLead: String {
        let small = data.tiers.filter { $0.name == Tier.nano.rawValue || $0.name == Tier.micro.rawValue }
        let large = data.tiers.filter { $0.name != Tier.nano.rawValue && $0.name != Tier.micro.rawValue }
        let rate = { (rows: [GroupRow]) -> Double? in
            let reach = rows.reduce(0) { $0 + $1.totals.reach }
            return reach == 0 ? nil : Double(rows.reduce(0) { $0 + $1.totals.uniqueClicks }) / Double(reach)
        }
        guard let smallRate = rate(small), let largeRate = rate(large), largeRate > 0, smallRate > largeRate else {
            return "Unique clicks per follower reached, by the advocate's audience size."
        }
        let ratio = smallRate / largeRate
        return "<strong>Nano and micro advocates engage \(String(format: ratio >= 10 ? "%.0f" : "%.1f", ratio))× as well "
            + "as mid, macro and mega ones</strong> (\(Formatting.percent(smallRate)) vs \(Formatting.percent(largeRate)) "
            + "of their reach clicked)."
    }

    private var trend: String {
        let table = ReportTable(
            id: "table-trend", caption: "Shares and clicks per \(data.trendByDay ? "day" : "hour") (UTC)",
            columns: [data.trendByDay ? "Day" : "Hour", "Shares", "Clicks", "Unique clicks"],
            rows: data.trend.map { point in
                [.text(trendLabel(point)), .integer(point.shares), .integer(point.clicks), .integer(point.uniqueClicks)]
            })
        return section("trend", "Trend", lead: "Unique clicks and shares per \(data.trendByDay ? "day" : "hour"), UTC.",
                       chart: "chart-trend", table: table, scroll: true)
    }

    private var advocates: String {
        let table = ReportTable(
            id: "table-advocates", caption: "Top \(data.advocates.count) advocates by unique clicks",
            columns: ["#", "Advocate", "Tier", "Venue", "Shares", "Unique clicks", "Engagement", "Conversions", "Value"],
            rows: data.advocates.enumerated().map { index, advocate in
                let totals = advocate.row.totals
                return [.integer(Int64(index + 1)), .text(advocate.row.name), .text(advocate.tier),
                        .text(advocate.venue, note: advocate.otherVenues > 0 ? " (+\(advocate.otherVenues))" : ""),
                        .integer(totals.shares), .integer(totals.uniqueClicks), .rate(totals.engagementRate),
                        .integer(totals.conversions), .money(totals.value)]
            })
        return section("advocates", "Top advocates", lead: "The advocates whose shares brought the most unique clicks.",
                       chart: "chart-advocates", table: table, height: data.advocates.count)
    }

    private var venues: String {
        let lead = "Top \(data.venues.count) of \(data.venueCount) venues by unique clicks."
        return section("venues", "Top venues", lead: lead, chart: "chart-venues",
                       table: groupTable("table-venues", "Top venues by unique clicks", "Venue", data.venues),
                       height: data.venues.count)
    }

    private var networks: String {
        section("networks", "Networks", lead: "Every social network, by unique clicks.", chart: "chart-networks",
                table: groupTable("table-networks", "Networks by unique clicks", "Network", data.networks),
                height: data.networks.count)
    }

    private func groupTable(_ id: String, _ caption: String, _ title: String, _ rows: [GroupRow]) -> ReportTable {
        ReportTable(
            id: id, caption: caption,
            columns: [title, "Shares", "Reach", "Unique clicks", "Engagement", "Conversions", "Value"],
            rows: rows.map { row in
                [.text(row.name), .integer(row.totals.shares), .integer(row.totals.reach), .integer(row.totals.uniqueClicks),
                 .rate(row.totals.engagementRate), .integer(row.totals.conversions), .money(row.totals.value)]
            })
    }

    /// A card: title, lead, the chart (`height`: bars of a ranking, else a fixed height) and its table.
    private func section(_ id: String, _ title: String, lead: String, chart: String, table: ReportTable,
                         height: Int? = nil, pair: Bool = false, scroll: Bool = false) -> String {
        let style = height.map { " style=\"height:\(max(120, 34 * $0 + 40))px\"" } ?? ""
        let figure = """
            <figure class="chart"\(style)><canvas id="\(chart)" role="img" aria-label="\(HTML.escape(title)) chart; \
            the numbers are in the table \(pair ? "beside" : "below") it"></canvas></figure>
            """
        let tableBox = "<div class=\"table\(scroll ? " scroll" : "")\">\(table.html)</div>"
        return """
            <section class="card" id="section-\(id)" aria-labelledby="title-\(id)">
            <h2 id="title-\(id)">\(HTML.escape(title))</h2>
            <p class="lead">\(lead)</p>
            \(pair ? "<div class=\"pair\">\(figure)\(tableBox)</div>" : figure + tableBox)
            </section>
            """
    }

    /// `27 Nov 2026, 14:00`, or the day; `short`, `27 Nov 14:00` (the chart's axis, for a trend
    /// within one year: one over several keeps its years).
    private func trendLabel(_ point: ReportData.TrendPoint, short: Bool = false) -> String {
        let day = ReportPage.day(point.hour * 3600)
        let label = data.trendByDay ? day : ReportPage.time(point.hour * 3600)
        guard short, trendWithinOneYear else { return label }
        return String(label.split(separator: " ").prefix(2).joined(separator: " "))
            + (data.trendByDay ? "" : " " + RFC3339.format(point.hour * 3600).dropFirst(11).prefix(5))
    }

    private var trendWithinOneYear: Bool {
        let year = { (point: ReportData.TrendPoint) in RFC3339.format(point.hour * 3600).prefix { $0 != "-" } }
        return data.trend.first.map(year) == data.trend.last.map(year)
    }

    // MARK: Chart data

    private struct Ranking: Encodable {
        var labels: [String]
        var unique: [Int64]
        var rates: [Double]

        init(_ rows: [GroupRow]) {
            labels = rows.map(\.name)
            unique = rows.map(\.totals.uniqueClicks)
            rates = rows.map(\.totals.engagementRate)
        }
    }

    private struct Tiers: Encodable {
        var labels: [String]
        var rates: [Double]
        var advocates: [Int64]
        var shares: [Int64]
        var colors: [String]
    }

    private struct Trend: Encodable {
        /// Short labels for the axis.
        var ticks: [String]
        var unique: [Int64]
        var shares: [Int64]
    }

    private struct Charts: Encodable {
        var tiers: Tiers?
        var trend: Trend?
        var advocates: Ranking?
        var venues: Ranking?
        var networks: Ranking?
    }

    /// The numbers the charts draw (nothing for an empty range).
    var chartJSON: String {
        var charts = Charts()
        if !data.isEmpty {
            charts.tiers = Tiers(labels: data.tiers.map(\.name), rates: data.tiers.map(\.totals.engagementRate),
                                 advocates: data.tiers.map { $0.advocates ?? 0 }, shares: data.tiers.map(\.totals.shares),
                                 colors: ReportScript.tierColors)
            charts.trend = Trend(ticks: data.trend.map { trendLabel($0, short: true) }, unique: data.trend.map(\.uniqueClicks),
                                 shares: data.trend.map(\.shares))
            charts.advocates = Ranking(data.advocates.map(\.row))
            charts.venues = Ranking(data.venues)
            charts.networks = Ranking(data.networks)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(charts)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
