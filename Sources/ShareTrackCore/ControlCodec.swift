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
        if let problem = syntaxProblem(line) { throw ControlError(.badJSON, problem) }
        let data = Data(line)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            // One JSON object, but Foundation's reader takes no number beyond a double's range and
            // no nesting past its depth limit.
            throw ControlError(.badRequest, "not a control request: it holds a number beyond the range of a double, "
                               + "or objects and arrays nested too deep")
        }
        do {
            return try decoder().decode(ControlRequest.self, from: data).canonical
        } catch let error as DecodingError {
            throw ControlError(.badRequest, "not a control request: \(RequestProblem.describe(error, in: object))")
        } catch {
            throw ControlError(.badRequest, "not a control request: \(error)")
        }
    }

    /// Why `line` is not one JSON object naming each member once (at any depth), checked as ingest
    /// checks a line (`JSONScanner`: where and what is wrong); nil where it is.
    private static func syntaxProblem(_ line: [UInt8]) -> String? {
        line.withUnsafeBytes { bytes -> String? in
            guard ByteScan.isValidUTF8(bytes) else { return "a request is UTF-8 text, and this one is not valid UTF-8" }
            do throws(JSONError) {
                try JSONScanner.checkObject(bytes)
                return nil
            } catch {
                return "a request is one JSON object on one line: \(error.message)"
            }
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
