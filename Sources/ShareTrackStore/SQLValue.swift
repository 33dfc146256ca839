/// A query parameter, bound by SQLite as its type and sent to PostgreSQL as text.
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)

    /// The parameter as PostgreSQL's text format reads it.
    public var text: String {
        switch self {
        case .text(let text): text
        case .integer(let integer): String(integer)
        }
    }

    var statementValue: Statement.Value {
        switch self {
        case .text(let text): .text(text)
        case .integer(let integer): .integer(integer)
        }
    }
}
