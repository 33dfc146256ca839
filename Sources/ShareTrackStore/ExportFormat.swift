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

    /// The bytes of the last share's cells (`ExportRow.forEachShareCell`), which the rows after it
    /// of the same share repeat: a share has about three rows, and writing its seven cells again for
    /// each was a tenth of an export's time.
    struct ShareCells {
        var share: String?
        var bytes: [UInt8] = []
    }

    /// Appends one row, with its line end, to `buffer`.
    public func append(_ row: ExportRow, to buffer: inout [UInt8]) {
        var cells = ShareCells()
        append(row, to: &buffer, reusing: &cells)
    }

    /// Appends one row, with its line end, to `buffer`, its share's cells from `cells` if they are
    /// that share's (else written, and kept there).
    func append(_ row: ExportRow, to buffer: inout [UInt8], reusing cells: inout ShareCells) {
        append(.time(row.hour * 3600), column: 0, to: &buffer)
        if cells.share != row.share {
            cells.bytes.removeAll(keepingCapacity: true)
            var column = ExportRow.firstShareColumn
            row.forEachShareCell { cell in
                append(cell, column: column, to: &cells.bytes)
                column += 1
            }
            cells.share = row.share
        }
        buffer += cells.bytes
        var column = ExportRow.firstCounterColumn
        row.forEachCounterCell { cell in
            append(cell, column: column, to: &buffer)
            column += 1
        }
        switch self {
        case .csv:
            buffer.append(0x0D)
            buffer.append(0x0A)
        case .ndjson: buffer += "}\n".utf8
        }
    }

    /// Appends the cell of column `column` (an index into `ExportRow.columns`), with what comes
    /// before it.
    private func append(_ cell: ExportRow.Cell, column: Int, to buffer: inout [UInt8]) {
        switch self {
        case .csv:
            if column > 0 { buffer.append(UInt8(ascii: ",")) }
            switch cell {
            case .text(let text?): Self.appendField(text, to: &buffer)
            case .time(let seconds): RFC3339.append(seconds, to: &buffer)
            case .number(let number?): buffer += number.utf8
            case .integer(let integer?): Self.appendDecimal(integer, to: &buffer)
            case .text(nil), .number(nil), .integer(nil): break
            }
        case .ndjson:
            buffer += Self.ndjsonKeys[column]
            switch cell {
            case .text(let text?): Self.appendJSONString(text, to: &buffer)
            case .time(let seconds):
                buffer.append(UInt8(ascii: "\""))
                RFC3339.append(seconds, to: &buffer)
                buffer.append(UInt8(ascii: "\""))
            case .number(let number?): buffer += number.utf8
            case .integer(let integer?): Self.appendDecimal(integer, to: &buffer)
            case .text(nil), .number(nil), .integer(nil): buffer += "null".utf8
            }
        }
    }

    /// What comes before each value in an NDJSON line: `{"hour":`, `,"share":`, ...
    private static let ndjsonKeys: [[UInt8]] = ExportRow.columns.enumerated().map { index, column in
        Array(((index == 0 ? "{" : ",") + ResponseLine.quoted(column) + ":").utf8)
    }

    /// A JSON string: the bytes between quotes when none needs escaping (nearly every cell), else
    /// `ResponseLine.quoted`. Building a `String` per cell took a third of an NDJSON export's time.
    private static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        let plain = text.withUTF8 { bytes in
            bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard plain else { return buffer += ResponseLine.quoted(text).utf8 }
        buffer.append(UInt8(ascii: "\""))
        text.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func csvField(_ text: String) -> String {
        var buffer: [UInt8] = []
        appendField(text, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `value` in decimal digits, as `String(value)` writes it.
    private static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if (0...9).contains(value) { return buffer.append(UInt8(ascii: "0") + UInt8(value)) }  // most cells
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }

    /// A CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. Read as one
    /// contiguous run of bytes (`withUTF8`): scanning the `String`'s UTF-8 view byte by byte took
    /// a twentieth of an export's time.
    private static func appendField(_ text: String, to buffer: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0D || $0 == 0x0A }) else {
                return buffer.append(contentsOf: bytes)
            }
            buffer.append(quote)
            for byte in bytes {
                buffer.append(byte)
                if byte == quote { buffer.append(quote) }
            }
            buffer.append(quote)
        }
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

extension ExportFormat {
    /// Writes the header and then the rows that `rows` hands its argument to `write`, `chunkBytes`
    /// at a time; returns what `rows` returns (how many rows).
    public func write(chunkBytes: Int = 1 << 16, to write: ([UInt8]) throws -> Void,
                      rows: ((ExportRow) throws -> Void) throws -> Int) throws -> Int {
        // `write` is called only while `rows` runs, never after: it does not escape.
        try withoutActuallyEscaping(write) { write in
            var buffer = Array(header.utf8)
            var cells = ShareCells()
            let count = try rows { row in
                append(row, to: &buffer, reusing: &cells)
                if buffer.count >= chunkBytes {
                    try write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try write(buffer)
            return count
        }
    }
}
