/// Parses ingest protocol v1 request lines into events.
///
/// Checks, in order: UTF-8, JSON syntax (the whole line, one object), `type`, then the type's fields.
/// Unknown fields and fields that do not apply to the type are ignored; `null` means absent;
/// an object (the line or one nested in it) with a repeated member name is `bad_json` (I-JSON).
/// A `visitor` id leaves the parser only as its keyed hash.
public struct EventParser: Sendable {
    private let visitorKey: VisitorKey

    public init(visitorKey: VisitorKey) {
        self.visitorKey = visitorKey
    }

    /// Parses one request line (the bytes before the "\n"; the caller has already checked max_line_bytes).
    /// `now` is the receive time in whole seconds since the Unix epoch (used for the "more than 5 minutes in the future" rule).
    public func parse(_ line: UnsafeRawBufferPointer, now: Int64) -> Result<Event, Rejection> {
        guard let start = line.baseAddress, !line.isEmpty else {
            return .failure(Rejection(.badJSON, "empty line; expected a JSON object"))
        }
        guard ByteScan.isValidUTF8(line) else { return .failure(Rejection(.badUTF8, "line is not valid UTF-8")) }
        let bom = ByteScan.byteOrderMark(line)
        var scanner = JSONScanner(start + bom, count: line.count - bom)
        var fields = EventFields()
        do {
            try fields.scan(&scanner)
        } catch {
            return .failure(Rejection(.badJSON, error.message))
        }
        let reader = FieldReader(scanner: scanner)
        do {
            return .success(try reader.event(fields, now: now, visitorKey: visitorKey))
        } catch {
            var rejection = error
            rejection.source = (try? reader.text(fields.source, "source")) ?? nil
            rejection.makesProducer = rejection.source != nil && (try? reader.seq(fields.seq)) != nil
            return .failure(rejection)
        }
    }
}
