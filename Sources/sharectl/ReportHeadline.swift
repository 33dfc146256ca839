import Foundation
import ShareTrackCore
import ShareTrackStore

/// The headline totals of the report, each with its change against the previous range of the
/// same length where that range has data.
struct ReportHeadline {
    /// One headline number: its id (`data-kpi`), title, text, exact value, and change.
    private typealias Card = (id: String, title: String, text: String, value: String, change: String?)

    var data: ReportData

    var html: String {
        let totals = data.totals
        let previous = data.previous
        /// A count: its text, exact value and change.
        func count(_ id: String, _ title: String, _ counter: KeyPath<CounterTotals, Int64>) -> Card {
            (id, title, Formatting.integer(totals[keyPath: counter]), "\(totals[keyPath: counter])",
             previous.map { change(totals[keyPath: counter], $0[keyPath: counter]) })
        }
        let cards: [Card] = [
            count("shares", "Shares", \.shares), count("reach", "Reach", \.reach), count("clicks", "Clicks", \.clicks),
            count("unique_clicks", "Unique clicks", \.uniqueClicks),
            ("engagement_rate", "Engagement rate", Formatting.percent(totals.engagementRate), "\(totals.engagementRate)",
             previous.map { points(totals.engagementRate, $0.engagementRate) }),
            count("conversions", "Conversions", \.conversions),
            ("value", "Value", Formatting.money(totals.value), "\(totals.value)",
             previous.map { change(totals.value.thousandths, $0.value.thousandths) }),
        ]
        let items = cards.map { card in
            """
            <div class="kpi"><dt>\(card.title)</dt><dd><span class="value" data-kpi="\(card.id)" data-value="\(card.value)">\
            \(card.text)</span>\(card.change ?? "")</dd></div>
            """
        }
        return "<dl class=\"kpis\" id=\"headline\">\n" + items.joined(separator: "\n") + "\n</dl>\n" + comparison
    }

    /// What the changes compare with.
    private var comparison: String {
        guard let hours = data.previousHours, let first = data.firstHour else { return "" }
        let span = "\(ReportPage.time((first - hours) * 3600)) – \(ReportPage.time(first * 3600)) UTC"
        let text = data.previous == nil
            ? "The previous \(ReportPage.hours(hours)) (\(span)) hold no data to compare with."
            : "Changes compare with the previous \(ReportPage.hours(hours)) (\(span))."
        return "<p class=\"lead\" id=\"comparison\">\(HTML.escape(text))</p>"
    }

    private func change(_ now: some BinaryInteger, _ before: some BinaryInteger) -> String {
        change(Double(now), Double(before))
    }

    private func change(_ now: Double, _ before: Double) -> String {
        guard before != 0 else { return now == 0 ? line("no change", 0) : line("new", 1) }
        let percent = (now - before) / before * 100
        return line(arrow(percent) + String(format: " %.1f%%", abs(percent)), percent)
    }

    /// A rate's change in percentage points.
    private func points(_ now: Double, _ before: Double) -> String {
        let difference = (now - before) * 100, magnitude = abs(difference)
        // Under a thousandth of a point, two significant digits (as `Formatting.percent`), not 0.000.
        let text = magnitude > 0 && magnitude < 0.001 ? String(Formatting.percent(magnitude / 100).dropLast())
            : String(format: magnitude < 0.1 ? "%.3f" : "%.2f", magnitude)
        return line(arrow(difference) + " \(text) pts", difference)
    }

    private func arrow(_ difference: Double) -> String {
        difference > 0 ? "▲" : difference < 0 ? "▼" : "="
    }

    private func line(_ text: String, _ difference: Double) -> String {
        let direction = difference > 0 ? " up" : difference < 0 ? " down" : ""
        return "<span class=\"change\(direction)\">\(HTML.escape(text)) vs previous</span>"
    }
}
