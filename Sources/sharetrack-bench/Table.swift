/// A plain text table: a header row, then rows; the first column left-aligned, the others right.
struct Table {
    private var rows: [[String]] = []

    init(header: [String]) {
        rows.append(header)
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    func render() -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            var cells: [String] = []
            for column in 0..<columns {
                let cell = column < row.count ? row[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                cells.append(column == 0 || column == columns - 1 ? cell + padding : padding + cell)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            if index == 0 { lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (columns - 1))) }
        }
        return lines.joined(separator: "\n")
    }
}
