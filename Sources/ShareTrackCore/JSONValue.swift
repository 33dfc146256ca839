/// One scanned JSON value: its kind and where its bytes are (for a string, between the quotes).
struct JSONValue {
    enum Kind: Equatable {
        case string(escaped: Bool)
        case number
        case bool(Bool)
        case null
        case array
        case object
    }

    var kind: Kind
    var start: Int
    var end: Int
}
