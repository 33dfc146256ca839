import Foundation
import ShareTrackCore
import ShareTrackStore

/// The headline totals of the report, each with its change against the previous range of the
/// same length where that range has data.
struct ReportHeadline {
    var data: ReportData

    var html: String {
        let totals = data.totals
        let previous = data.previous
        let cards: [(id: String, title: String, text: String, value: String, change: String?)] = [
            ("shares", "Shares", Formatting.integer(totals.shares), "\(totals.shares)",
             previous.map { change(totals.shares, $0.shares) }),
            ("reach", "Reach", Formatting.integer(totals.reach), "\(totals.reach)",
             previous.map { change(totals.reach, $0.reach) }),
            ("clicks", "Clicks", Formatting.integer(totals.clicks), "\(totals.clicks)",
             previous.map { change(totals.clicks, $0.clicks) }),
            ("unique_clicks", "Unique clicks", Formatting.integer(totals.uniqueClicks), "\(totals.uniqueClicks)",
             previous.map { change(totals.uniqueClicks, $0.uniqueClicks) }),
            ("engagement_rate", "Engagement rate", Formatting.percent(totals.engagementRate), "\(totals.engagementRate)",
             previous.map { points(totals.engagementRate, $0.engagementRate) }),
            ("conversions", "Conversions", Formatting.integer(totals.conversions), "\(totals.conversions)",
             previous.map { change(totals.conversions, $0.conversions) }),
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
        let difference = (now - before) * 100
        return line(arrow(difference) + String(format: abs(difference) < 0.1 ? " %.3f pts" : " %.2f pts", abs(difference)), difference)
    }

    private func arrow(_ difference: Double) -> String {
        difference > 0 ? "▲" : difference < 0 ? "▼" : "="
    }

    private func line(_ text: String, _ difference: Double) -> String {
        let direction = difference > 0 ? " up" : difference < 0 ? " down" : ""
        return "<span class=\"change\(direction)\">\(HTML.escape(text)) vs previous</span>"
    }
}
