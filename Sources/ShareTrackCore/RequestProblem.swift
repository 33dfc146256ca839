/// What is wrong with a control request that is one JSON object but not a request
/// (`ControlCodec.decodeRequest`), for a person: the member by its path as sent
/// (`query.filter.tier`), and what it must be.
enum RequestProblem {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            "\(path(context.codingPath)) must be \(kind(type))"
        case .valueNotFound(let type, let context):
            "\(path(context.codingPath)) must be \(kind(type)), not null"
        case .keyNotFound(let key, let context):
            "\(path(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            "\(path(context.codingPath)) must be " + allowed(context.codingPath.last?.stringValue)
        @unknown default:
            "\(error)"
        }
    }

    /// `query.filter.tier`: the keys as the request spells them (snake case), an index as `[2]`.
    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "the request" }
        return keys.map { key in
            key.intValue.map { "[\($0)]" } ?? key.stringValue.reduce(into: "") { name, character in
                name += character.isUppercase ? "_" + character.lowercased() : String(character)
            }
        }.joined(separator: ".").replacing(".[", with: "[")
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is any BinaryInteger.Type: "a whole number in range"
        case is any BinaryFloatingPoint.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    /// The values a member with a fixed set of them may take.
    private static func allowed(_ key: String?) -> String {
        switch key {
        case "command": "one of " + ControlRequest.Command.allCases.map(\.rawValue).joined(separator: ", ")
        case "tier": "one of " + Tier.allCases.map(\.rawValue).joined(separator: ", ")
        default: "a valid value"
        }
    }
}
