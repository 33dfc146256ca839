import Foundation

/// What is wrong with a control request that is one JSON object but not a request
/// (`ControlCodec.decodeRequest`), for a person: the member by its path as sent
/// (`query.filter.tier`), and what it must be.
enum RequestProblem {
    static func describe(_ error: DecodingError, in request: [String: Any]) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // Foundation names no member for a number no Swift integer holds (`1e30`, `1.5`).
            wholeNumberMember(in: request).map { "\($0) must be \(kind(Int64.self))" } ?? "the request must be a valid value"
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

    /// The path of the first member among those that take a whole number (`limit`, `since`,
    /// `until`, `silent_after`) whose number is not one.
    private static func wholeNumberMember(in object: [String: Any], at path: String = "") -> String? {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? key : path + "." + key
            if let nested = value as? [String: Any], let found = wholeNumberMember(in: nested, at: here) { return found }
            if ["limit", "since", "until", "silent_after"].contains(key), let number = value as? NSNumber,
               Int64(exactly: number.doubleValue) == nil || number.doubleValue.magnitude >= 9.2e18 {
                return here
            }
        }
        return nil
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
