/// Rows in the text format of PostgreSQL's `COPY ... FROM STDIN`: tab-separated fields, one row a
/// line, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    mutating func add(_ text: String?) {
        separate()
        guard var text else {
            bytes += [UInt8(ascii: "\\"), UInt8(ascii: "N")]
            return
        }
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                default: bytes.append(byte)
                }
            }
        }
    }

    mutating func add(_ number: Int64) {
        separate()
        bytes += String(number).utf8
    }

    /// Ends the row.
    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    var isEmpty: Bool { bytes.isEmpty }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }
}
