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
    /// Whether the line had a valid `seq` beside its `source`: then it makes its producer if there
    /// is none yet, as a test event does (a kiosk whose every line is refused shows in `sources`).
    /// Without one it is charged only to a producer that exists, so that made-up sources do not
    /// grow memory.
    public var makesProducer = false

    /// Whether the line counts as a rejected event (in `status`, metrics and its source's row).
    public var counted = true

    public init(_ code: ErrorCode, _ message: String, source: String? = nil) {
        self.code = code
        self.message = message
        self.source = source
    }

    /// A control request (`sharectl` pointed at the ingest socket): answered, but not counted,
    /// since it is no producer's event.
    public static var controlRequest: Rejection {
        var rejection = Rejection(.missingField, "missing field 'type': this is the ingest socket, for events; "
                                  + "control requests (sharectl) go to the control socket")
        rejection.counted = false
        return rejection
    }
}
