/// A JSON syntax error: where, and what was expected there.
struct JSONError: Error {
    var offset: Int
    var reason: StaticString

    var message: String { "invalid JSON at byte \(offset + 1): \(reason)" }
}
