import Foundation
import ShareTrackCore
import ShareTrackStore

/// The page `sharectl report` writes: one HTML file with its style, script, numbers and chart
/// library inline, and a Content-Security-Policy that lets no request leave it.
struct ReportPage {
    var data: ReportData
    var chartLibrary: String
    /// Where the numbers came from, for the footer.
    var source: String
    var now: Int64

    var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
        <title>\(HTML.escape(title))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        <main>
        \(header)
        <div id="chart-error" class="error" role="alert" hidden></div>
        \(data.isEmpty ? empty : ReportSections(data: data).html)
        <footer>\(footer)</footer>
        </main>
        <script id="report-data" type="application/json">\(HTML.scriptSafe(json: ReportSections(data: data).chartJSON))</script>
        <script>
        \(HTML.scriptSafe(library: chartLibrary))
        </script>
        <script>
        \(ReportScript.javaScript)
        </script>
        </body>
        </html>

        """
    }

    /// The range and the filters, each id between U+2068 and U+2069 (first strong isolate, pop
    /// directional isolate: a title holds no `<bdi>`).
    var title: String {
        let filters = self.filters.map { "\($0.name): \u{2068}\($0.value)\u{2069}" }
        return "ShareTrack report: " + rangeText + (filters.isEmpty ? "" : " (" + filters.joined(separator: ", ") + ")")
    }

    private var header: String {
        let filters = self.filters.isEmpty ? ["all venues, campaigns, networks and tiers"]
            : self.filters.map { "\(HTML.escape($0.name)): <bdi>\(HTML.escape($0.value))</bdi>" }
        return """
            <header class="top">
            <p class="eyebrow">ShareTrack</p>
            <h1>Advocate engagement report</h1>
            <p class="range" id="report-range">\(HTML.escape(rangeText))</p>
            <ul class="filters" aria-label="filters">\(filters.map { "<li>\($0)</li>" }.joined())</ul>
            </header>
            """
    }

    private var empty: String {
        """
        <section class="card empty" id="no-data">
        <h2>No data in this range</h2>
        <p>No attributed share, click or conversion matches this range and these filters. Try a wider range (--since 30d) or fewer filters.</p>
        </section>
        """
    }

    private var footer: String {
        HTML.escape("Made \(Self.time(now)) UTC by sharectl report (ShareTrack \(shareTrackVersion)) from \(source). "
                    + "Counters are kept per UTC hour by event time; engagement rate = unique clicks / reach; bot clicks "
                    + "are counted apart and never as clicks. Charts drawn with Chart.js (MIT license), included in this page.")
    }

    /// `27 Nov 2026, 14:00 – 30 Nov 2026, 17:00 UTC (73 hours)`, or the open ends of the range.
    var rangeText: String {
        let first = data.firstHour.map { Self.time($0 * 3600) }
        let end = data.endHour.map { Self.time($0 * 3600) }
        let length = data.firstHour.flatMap { first in data.endHour.map { Self.hours($0 - first) } }
        switch (first, end) {
        case let (first?, end?):
            let span = "\(first) – \(end) UTC" + (length.map { " (\($0))" } ?? "")
            return data.filter.isRanged ? span : "All data: " + span
        case let (first?, nil): return "From \(first) UTC"
        case let (nil, end?): return "Up to \(end) UTC"
        case (nil, nil): return "All data"
        }
    }

    /// The filters given, each named.
    var filters: [(name: String, value: String)] {
        let filter = data.filter
        return [("venue", filter.venue), ("campaign", filter.campaign), ("network", filter.network),
                ("tier", filter.tier?.rawValue)].compactMap { name, value in value.map { (name, $0) } }
    }

    /// `27 Nov 2026, 14:00`.
    static func time(_ seconds: Int64) -> String {
        day(seconds) + ", " + RFC3339.format(seconds).drop { $0 != "T" }.dropFirst().prefix(5)
    }

    /// `27 Nov 2026` (`1 Jan 10000`, the end of a range rounded up past the year 9999).
    static func day(_ seconds: Int64) -> String {
        let date = RFC3339.format(seconds).prefix { $0 != "T" }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = date.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), months.indices.contains(month - 1)
        else { return String(date) }
        return "\(day) \(months[month - 1]) \(parts[0])"
    }

    /// `73 hours`, `7 days`, `1 hour`.
    static func hours(_ count: Int64) -> String {
        if count % 24 == 0 && count >= 48 { return "\(count / 24) days" }
        return count == 1 ? "1 hour" : "\(count) hours"
    }
}
