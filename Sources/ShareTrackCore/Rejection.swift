/// The error codes of ingest protocol v1.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    case badJSON = "bad_json"
    case badUTF8 = "bad_utf8"
    case missingField = "missing_field"
    case badField = "bad_field"
    case unknownType = "unknown_type"
    case lineTooLong = "line_too_long"
    case overloaded
}

/// Why a line was not accepted, in words for a person.
public struct Rejection: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    /// The line's `source`, when it could be read, so the rejection is charged to its producer.
    public var source: String?

    public init(_ code: ErrorCode, _ message: String, source: String? = nil) {
        self.code = code
        self.message = message
        self.source = source
    }
}
