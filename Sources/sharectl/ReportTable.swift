import ShareTrackCore

/// A table of the report page: the numbers of a chart, for print and screen readers. Number cells
/// carry their exact value in `data-value`.
struct ReportTable {
    /// Text cells hold ids (or the page's own labels), each isolated from the text around it
    /// (`<bdi>`), so that a right-to-left mark in an id does not reorder the `note` after it.
    enum Cell {
        case text(String, note: String = "")
        /// Text after a colour swatch.
        case swatch(String, color: String)
        case integer(Int64)
        case rate(Double)
        case money(Money)
    }

    var id: String
    var caption: String
    var columns: [String]
    var rows: [[Cell]]

    var html: String {
        let numeric = rows.first.map { $0.map(\.isNumber) } ?? columns.map { _ in false }
        let head = zip(columns, numeric).map { title, number in
            "<th scope=\"col\"\(number ? " class=\"num\"" : "")>\(HTML.escape(title))</th>"
        }.joined()
        let body = rows.map { row in "<tr>" + row.map(\.html).joined() + "</tr>" }.joined(separator: "\n")
        return """
            <table id="\(id)"><caption>\(HTML.escape(caption))</caption>
            <thead><tr>\(head)</tr></thead>
            <tbody>
            \(body)
            </tbody></table>
            """
    }
}

extension ReportTable.Cell {
    var isNumber: Bool {
        switch self {
        case .text, .swatch: false
        case .integer, .rate, .money: true
        }
    }

    var html: String {
        switch self {
        case .text(let text, let note):
            "<td class=\"text\"><bdi>\(HTML.escape(text))</bdi>\(HTML.escape(note))</td>"
        case .swatch(let text, let color):
            "<td class=\"text\"><span class=\"swatch\" style=\"background:\(color)\"></span><bdi>\(HTML.escape(text))</bdi></td>"
        case .integer(let value):
            "<td class=\"num\" data-value=\"\(value)\">\(Formatting.integer(value))</td>"
        case .rate(let value):
            "<td class=\"num\" data-value=\"\(value)\">\(Formatting.percent(value))</td>"
        case .money(let value):
            "<td class=\"num\" data-value=\"\(value)\">\(Formatting.money(value))</td>"
        }
    }
}
