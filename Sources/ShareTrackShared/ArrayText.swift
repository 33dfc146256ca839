/// One column of rows as the text of a PostgreSQL array (`{"a","b",NULL}`, `{1,2}`), bound as one
/// parameter and expanded by `unnest`: a shipment's rows travel inside its one statement, with no
/// temporary table or other session state (so the shipper fits a transaction-mode pooler).
///
/// Every text element is quoted, with `"` and `\` escaped by a backslash; NULL is the bare word.
struct ArrayText {
    private var text = "{"
    private(set) var count = 0

    enum Element {
        case text(String?)
        case number(Int64)
    }

    mutating func add(_ element: Element) {
        if count > 0 { text += "," }
        count += 1
        switch element {
        case .number(let number):
            text += String(number)
        case .text(nil):
            text += "NULL"
        case .text(let value?):
            text += "\""
            if value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for character in value.unicodeScalars {
                    if character == "\"" || character == "\\" { text += "\\" }
                    text.unicodeScalars.append(character)
                }
            } else {
                text += value
            }
            text += "\""
        }
    }

    /// The array literal.
    var literal: String { text + "}" }
}
