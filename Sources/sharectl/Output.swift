import ShareTrackCore
import ShareTrackStore

/// A table for the terminal: a header line, then one line per row, each column as wide as its
/// widest cell (in terminal columns: `TerminalWidth`); text left-aligned, numbers right-aligned. A table wider than it may be hides
/// columns, in the order of `hideable`, until it fits; one that would not fit even so (a long
/// id) hides none, since its lines wrap anyway.
struct Table {
    enum Alignment {
        case left, right
    }

    private let titles: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []
    /// Titles of the columns that give way first when the table is too wide, in that order.
    var hideable: [String] = []

    init(_ columns: [(String, Alignment)]) {
        titles = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// Prints the table, at most `width` characters wide if it can (hiding columns, and saying
    /// which), or `empty` when it has no rows.
    func print(empty: String, width: Int? = nil) {
        guard !rows.isEmpty else { return Swift.print(empty) }
        let lines = [titles] + rows
        let widths = titles.indices.map { column in lines.map { TerminalWidth.of($0[column]) }.max() ?? 0 }
        let lineWidth = { (columns: [Int]) in columns.map { widths[$0] + 2 }.reduce(-2, +) }
        var shown = Array(titles.indices)
        var hidden: [String] = []
        let fitting = titles.indices.filter { !hideable.contains(titles[$0]) }
        for title in hideable where width.map({ lineWidth(fitting) <= $0 }) == true {
            guard let width, lineWidth(shown) > width else { break }
            guard let column = titles.firstIndex(of: title) else { continue }
            shown.removeAll { $0 == column }
            hidden.append(title)
        }
        for line in lines {
            let cells = shown.map { column in
                let padding = String(repeating: " ", count: widths[column] - TerminalWidth.of(line[column]))
                return alignments[column] == .left ? line[column] + padding : padding + line[column]
            }
            Swift.print(cells.joined(separator: "  ").trimmingTrailingSpaces())
        }
        if let width, !hidden.isEmpty {
            Swift.print("(\(hidden.joined(separator: ", ")) hidden to fit \(width) columns; --wide shows them)")
        }
    }
}

extension Table {
    private static let counterColumns: [(String, Alignment)] =
        ["SHARES", "REACH", "CLICKS", "UNIQUE", "BOT", "CONV", "VALUE", "ENGAGEMENT"].map { ($0, .right) }

    private static func counterCells(_ totals: CounterTotals) -> [String] {
        [totals.shares, totals.reach, totals.clicks, totals.uniqueClicks, totals.botClicks, totals.conversions]
            .map(Formatting.integer) + [Formatting.money(totals.value), Formatting.percent(totals.engagementRate)]
    }

    /// Per-dimension rows: an optional rank, the dimension, `ADVOCATES` if asked, then the counters.
    init(_ rows: [GroupRow], dimension: GroupRow.Dimension, ranked: Bool = false, advocates: Bool = false) {
        self.init((ranked ? [("#", .right)] : []) + [(dimension.rawValue.uppercased(), .left)]
                  + (advocates ? [("ADVOCATES", .right)] : []) + Self.counterColumns)
        hideable = ["BOT", "VALUE", "CONV", "REACH", "ADVOCATES", "SHARES"]
        for (index, row) in rows.enumerated() {
            append((ranked ? [String(index + 1)] : []) + [row.name]
                   + (advocates ? [Formatting.integer(row.advocates ?? 0)] : []) + Self.counterCells(row.totals))
        }
    }

    /// Shares with their attribution, then the counters.
    init(_ shares: [ShareReport]) {
        self.init([("SHARE", .left), ("TIME", .left), ("VENUE", .left), ("CAMPAIGN", .left), ("NETWORK", .left),
                   ("FOLLOWERS", .right), ("TIER", .left)] + Self.counterColumns)
        // Each row is one share: SHARES is 1 and REACH its followers.
        hideable = ["SHARES", "REACH", "TIER", "CAMPAIGN", "BOT", "VALUE", "CONV", "TIME", "VENUE"]
        for share in shares {
            let attribution = share.attribution
            append([share.share, attribution?.time ?? "", attribution?.venue ?? "", attribution?.campaign ?? "",
                    attribution?.network ?? "", attribution.map { Formatting.integer($0.followers) } ?? "",
                    attribution?.tier.rawValue ?? ""] + Self.counterCells(share.totals))
        }
    }
}

/// Prints `key: value` lines, the values aligned.
func printFields(_ fields: [(String, String)]) {
    let width = fields.map(\.0.count).max() ?? 0
    for (key, value) in fields {
        print(key + ":" + String(repeating: " ", count: width - key.count + 1) + value)
    }
}

/// The counters as `key: value` fields.
func counterFields(_ totals: CounterTotals) -> [(String, String)] {
    [
        ("shares", Formatting.integer(totals.shares)),
        ("reach", Formatting.integer(totals.reach)),
        ("clicks", "\(Formatting.integer(totals.clicks)) (\(Formatting.integer(totals.uniqueClicks)) unique, "
            + "\(Formatting.integer(totals.botClicks)) bot)"),
        ("conversions", "\(Formatting.integer(totals.conversions)) (value \(Formatting.money(totals.value)))"),
        ("engagement", Formatting.percent(totals.engagementRate)),
    ]
}

/// An RFC 3339 time with how long ago it was: `2026-11-27T20:15:00Z (12s ago)`; for a time that
/// may be ahead (`ahead`: an event's), how far ahead: `(in 4m)`.
func timeAndAge(_ seconds: Int64, now: Int64, ahead: Bool = false) -> String {
    "\(RFC3339.format(seconds)) (\(ahead ? Formatting.relative(now - seconds) : Formatting.ago(now - seconds)))"
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
