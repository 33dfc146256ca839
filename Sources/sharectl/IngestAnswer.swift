import Foundation

/// An answer line of either socket, as far as `sharectl` needs it to tell them apart and to
/// tell accepted from rejected lines: `{"ok":true}`, `{"ok":true,"duplicate":true}` or
/// `{"ok":false,"error":"<code>","message":"..."}`.
struct IngestAnswer {
    var ok: Bool
    /// The error code of a rejected line.
    var error: String?

    /// `nil` when `line` is not a JSON object with a boolean `ok`.
    init?(_ line: some Collection<UInt8>) {
        if line.starts(with: Self.accepted) {
            ok = true
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let ok = object["ok"] as? Bool
        else { return nil }
        self.ok = ok
        error = object["error"] as? String
    }

    private static let accepted = Array(#"{"ok":true"#.utf8)
}
