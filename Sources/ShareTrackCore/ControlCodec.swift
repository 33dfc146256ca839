import Foundation

/// The JSON of the control socket: requests and responses, one object per line, with the
/// contract's snake_case field names (`unique_clicks`, `engagement_rate`, ...).
///
/// A response is `{"ok":true,"result":...}` or `{"ok":false,"error":"<code>","message":"..."}`.
public enum ControlCodec {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func requestLine(_ request: ControlRequest) throws -> [UInt8] {
        Array(try encoder().encode(request)) + [0x0A]
    }

    public static func decodeRequest(_ line: [UInt8]) throws(ControlError) -> ControlRequest {
        if let name = JSONDuplicateKeys.first(in: line) {
            throw ControlError(.badJSON, "the member name \(ResponseLine.quoted(name)) appears twice in one object")
        }
        let data = Data(line)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ControlError(.badJSON, "a request is one JSON object on one line")
        }
        do {
            return try decoder().decode(ControlRequest.self, from: data).canonical
        } catch let error as DecodingError {
            throw ControlError(.badRequest, "not a control request: \(RequestProblem.describe(error, in: object))")
        } catch {
            throw ControlError(.badRequest, "not a control request: \(error)")
        }
    }

    public static func resultLine(_ result: some Encodable) -> [UInt8] {
        do {
            return Array(#"{"ok":true,"result":"#.utf8) + Array(try encoder().encode(result)) + Array("}\n".utf8)
        } catch {
            return errorLine(ControlError(.failed, "cannot encode the answer: \(error)"))
        }
    }

    public static func errorLine(_ error: ControlError) -> [UInt8] {
        Array(#"{"ok":false,"error":"\#(error.error.rawValue)","message":\#(ResponseLine.quoted(error.message))}"#.utf8)
            + [0x0A]
    }

    /// The `result` of a response line, or the error it carries.
    public static func decodeResult<Result: Decodable>(_ line: Data, as type: Result.Type) throws(ControlError) -> Result {
        let envelope: ResponseEnvelope<Result>
        do {
            envelope = try decoder().decode(ResponseEnvelope<Result>.self, from: line)
        } catch {
            throw ControlError(.failed, "unreadable answer from the daemon: \(error)")
        }
        guard envelope.ok, let result = envelope.result else {
            throw ControlError(envelope.error ?? .failed, envelope.message ?? "the daemon gave no reason")
        }
        return result
    }
}

private struct ResponseEnvelope<Result: Decodable>: Decodable {
    var ok: Bool
    var result: Result?
    var error: ControlError.Code?
    var message: String?
}
