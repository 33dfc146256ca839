/// The response lines of ingest protocol v1, each ended by `\n`.
public enum ResponseLine {
    public static let ok = Array(#"{"ok":true}"#.utf8) + [0x0A]
    public static let duplicate = Array(#"{"ok":true,"duplicate":true}"#.utf8) + [0x0A]
    public static let test = Array(#"{"ok":true,"test":true}"#.utf8) + [0x0A]

    public static func rejected(_ rejection: Rejection) -> [UInt8] {
        Array(#"{"ok":false,"error":"\#(rejection.code.rawValue)","message":\#(quoted(rejection.message))}"#.utf8) + [0x0A]
    }

    /// Appends the line for `outcome` to `buffer`.
    public static func append(_ outcome: Engine.Reply.Outcome, to buffer: inout [UInt8]) {
        switch outcome {
        case .accepted: buffer.append(contentsOf: ok)
        case .duplicate: buffer.append(contentsOf: duplicate)
        case .test: buffer.append(contentsOf: test)
        case .rejected(let rejection): buffer.append(contentsOf: rejected(rejection))
        }
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
