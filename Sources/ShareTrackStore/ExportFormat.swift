import ShareTrackCore

/// How `sharectl export` writes the fact table.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180: a header row, then one record per row, each ended by CRLF; a field is quoted when
    /// it holds a comma, a quote, CR or LF (quotes doubled); an empty field is empty.
    case csv
    /// One JSON object per line with the columns as keys, in column order; an empty cell is `null`.
    case ndjson

    /// What comes before the first row.
    public var header: String {
        switch self {
        case .csv: ExportRow.columns.map(Self.csvField).joined(separator: ",") + "\r\n"
        case .ndjson: ""
        }
    }

    /// One row, with its line end.
    public func line(_ row: ExportRow) -> String {
        switch self {
        case .csv:
            return row.cells.map { cell in
                switch cell {
                case .text(let text): text.map(Self.csvField) ?? ""
                case .number(let number): number ?? ""
                }
            }.joined(separator: ",") + "\r\n"
        case .ndjson:
            let members = zip(ExportRow.columns, row.cells).map { column, cell in
                let value: String = switch cell {
                case .text(let text): text.map(ResponseLine.quoted) ?? "null"
                case .number(let number): number ?? "null"
                }
                return "\"\(column)\":\(value)"
            }
            return "{" + members.joined(separator: ",") + "}\n"
        }
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        var field = "\""
        for character in text {
            field += character == "\"" ? "\"\"" : String(character)
        }
        return field + "\""
    }
}

extension ExportFormat {
    /// The format a request names (`csv` when it names none).
    public init(named name: String?) throws(ControlError) {
        guard let format = ExportFormat(rawValue: name ?? ExportFormat.csv.rawValue) else {
            throw ControlError(.badRequest, "unknown format '\(name ?? "")': expected "
                               + Self.allCases.map(\.rawValue).joined(separator: " or "))
        }
        self = format
    }
}
