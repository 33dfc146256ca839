/// One column of rows as the text of a PostgreSQL array (`{"a","b",NULL}`, `{1,2}`), bound as one
/// parameter and expanded by `unnest`: a shipment's rows travel inside its one statement, with no
/// temporary table or other session state (so the shipper fits a transaction-mode pooler).
///
/// Every text element is quoted, with `"` and `\` escaped by a backslash; NULL is the bare word.
struct ArrayText {
    /// The literal so far, always closed (`}`): reading it shares its storage, copies nothing.
    private(set) var literal = "{}"
    private(set) var count = 0

    enum Element {
        case text(String?)
        case number(Int64)
    }

    mutating func add(_ element: Element) {
        literal.removeLast()
        if count > 0 { literal += "," }
        count += 1
        switch element {
        case .number(let number):
            literal += String(number)
        case .text(nil):
            literal += "NULL"
        case .text(let value?):
            literal += "\""
            if value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for character in value.unicodeScalars {
                    if character == "\"" || character == "\\" { literal += "\\" }
                    literal.unicodeScalars.append(character)
                }
            } else {
                literal += value
            }
            literal += "\""
        }
        literal += "}"
    }
}
