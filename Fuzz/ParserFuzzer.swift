// libFuzzer target for the ingest line parser (`EventParser`), built by Fuzz/run.sh together with
// Sources/ShareTrackCore/*.swift as one module (not through SwiftPM, so the package is unaffected).
//
// Besides "never crashes, never reads out of bounds" (AddressSanitizer), every input is checked
// against invariants that do not reuse the parser's own helpers:
// - a rejection's code is one the parser may give (never line_too_long or overloaded, which belong
//   to the connection and the engine), its message is non-empty, and its response line is valid
//   UTF-8 and one JSON object;
// - bad_utf8 is given exactly when the bytes are not valid UTF-8 (checked against the standard
//   library's validator);
// - an accepted event satisfies every field rule of docs/protocol.md, checked independently;
// - an accepted event, written back as a canonical JSON line, parses again to the same event.

/// The receive time used for every input, so a run is deterministic.
private let now: Int64 = 1_800_000_000
private let visitorKey = VisitorKey(bytes: [UInt8](repeating: 7, count: VisitorKey.size))!
private let parser = EventParser(visitorKey: visitorKey)

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let result = parser.parse(line, now: now)
    let isUTF8 = String(validating: line, as: UTF8.self) != nil
    switch result {
    case .failure(let rejection):
        check(rejection)
        if !line.isEmpty {
            invariant((rejection.code == .badUTF8) == !isUTF8, "bad_utf8 iff not UTF-8", line)
        }
    case .success(let event):
        invariant(isUTF8, "accepted a line that is not UTF-8", line)
        check(event, line)
        let canonical = Array(canonicalLine(event).utf8)
        let again = canonical.withUnsafeBytes { parser.parse($0, now: now) }
        guard case .success(let reparsed) = again else {
            invariant(false, "canonical line of an accepted event was rejected: \(canonicalLine(event)) -> \(again)", line)
            return 0
        }
        let expected = rehashingVisitor(event)
        invariant(reparsed == expected, "round trip changed the event: \(expected) vs \(reparsed)", line)
    }
    return 0
}

private func invariant(_ condition: Bool, _ message: @autoclosure () -> String, _ line: UnsafeRawBufferPointer) {
    guard !condition else { return }
    let shown = String(decoding: line.prefix(512), as: UTF8.self)
    fatalError("invariant failed: \(message())\ninput (\(line.count) bytes): \(shown.debugDescription)")
}

private func check(_ rejection: Rejection) {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    let parserCodes: Set<ErrorCode> = [.badJSON, .badUTF8, .missingField, .badField, .unknownType]
    invariant(parserCodes.contains(rejection.code), "the parser gave code \(rejection.code)", empty)
    invariant(!rejection.message.isEmpty, "empty message", empty)
    // The response line must be one valid JSON object on one line.
    var response = ResponseLine.rejected(rejection)
    invariant(response.last == 0x0A && response.dropLast().allSatisfy { $0 != 0x0A }, "response is not one line", empty)
    response.removeLast()
    response.withUnsafeBytes { bytes in
        invariant(String(validating: bytes, as: UTF8.self) != nil, "response is not UTF-8", bytes)
        var scanner = JSONScanner(bytes.baseAddress!, count: bytes.count)
        var fields = EventFields()
        do {
            try fields.scan(&scanner)
        } catch {
            invariant(false, "response is not a JSON object: \(error)", bytes)
        }
    }
    if let source = rejection.source { invariant(isText(source), "rejection source breaks the text rule", empty) }
}

private func check(_ event: Event, _ line: UnsafeRawBufferPointer) {
    invariant(isToken(event.token), "token breaks the rule: \(event.token.debugDescription)", line)
    switch event.kind {
    case .share(let attributes):
        invariant(isText(attributes.advocate), "advocate", line)
        invariant(isText(attributes.venue), "venue", line)
        invariant(attributes.campaign.map(isText) ?? true, "campaign", line)
        invariant(isNetwork(attributes.network), "network", line)
        invariant((0...1_000_000_000).contains(attributes.followers), "followers", line)
    case .click:
        break
    case .conversion(_, let value):
        invariant(value >= .zero && value <= .maxConversion, "value", line)
    }
    if let origin = event.origin {
        invariant(isText(origin.source), "source", line)
        invariant((1...(UInt64(1) << 53)).contains(origin.seq), "seq", line)
    }
    if let time = event.time {
        invariant(time <= now + 300, "ts more than 5 minutes in the future", line)
    }
}

/// 1-128 characters of `A-Z a-z 0-9 . _ ~ -`.
private func isToken(_ text: String) -> Bool {
    (1...128).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "~", "-": true
        default: false
        }
    }
}

/// 1-128 Unicode scalars, none a control character.
private func isText(_ text: String) -> Bool {
    (1...128).contains(text.unicodeScalars.count)
        && text.unicodeScalars.allSatisfy { !($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }
}

/// 1-32 characters of `a-z 0-9 _ -`.
private func isNetwork(_ text: String) -> Bool {
    (1...32).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }
}

/// An accepted event holds only its visitor's hash; the canonical line sends the hash's hex digits
/// as the visitor id, so the event parsed back holds the hash of those digits.
private func visitorText(_ hash: UInt64) -> String { String(hash, radix: 16) }

private func rehashingVisitor(_ event: Event) -> Event {
    var event = event
    switch event.kind {
    case .share: break
    case .click(let visitor, let bot):
        event.kind = .click(visitor: visitor.map { visitorKey.hash(visitorText($0)) }, bot: bot)
    case .conversion(let visitor, let value):
        event.kind = .conversion(visitor: visitor.map { visitorKey.hash(visitorText($0)) }, value: value)
    }
    return event
}

/// The event as a line a well-behaved producer would send.
private func canonicalLine(_ event: Event) -> String {
    var fields: [String] = [#""share":\#(ResponseLine.quoted(event.token))"#]
    switch event.kind {
    case .share(let attributes):
        fields += [#""type":"share""#, #""advocate":\#(ResponseLine.quoted(attributes.advocate))"#,
                   #""venue":\#(ResponseLine.quoted(attributes.venue))"#,
                   #""network":\#(ResponseLine.quoted(attributes.network))"#, #""followers":\#(attributes.followers)"#]
        if let campaign = attributes.campaign { fields.append(#""campaign":\#(ResponseLine.quoted(campaign))"#) }
    case .click(let visitor, let bot):
        fields += [#""type":"click""#, #""bot":\#(bot)"#]
        if let visitor { fields.append(#""visitor":"\#(visitorText(visitor))""#) }
    case .conversion(let visitor, let value):
        fields += [#""type":"conversion""#, #""value":\#(value)"#]
        if let visitor { fields.append(#""visitor":"\#(visitorText(visitor))""#) }
    }
    if let origin = event.origin {
        fields += [#""source":\#(ResponseLine.quoted(origin.source))"#, #""seq":\#(origin.seq)"#]
    }
    if event.test { fields.append(#""test":true"#) }
    if let time = event.time {
        // The earliest time a line can carry is 0000-01-01T00:00:00+23:59, before year 0000 in UTC.
        let yearZero: Int64 = -62_167_219_200
        let ts = time >= yearZero ? RFC3339.format(time) : RFC3339.format(time + 86_340).dropLast() + "+23:59"
        fields.append(#""ts":"\#(ts)""#)
    }
    return "{" + fields.joined(separator: ",") + "}"
}
