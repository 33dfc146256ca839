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
        guard _isValidUTF8(line) else { return .failure(Rejection(.badUTF8, "line is not valid UTF-8")) }
        var scanner = JSONScanner(start, count: line.count)
        var fields = EventFields()
        do {
            try fields.scan(&scanner)
        } catch {
            return .failure(Rejection(.badJSON, error.message))
        }
        let reader = FieldReader(scanner: scanner, visitorKey: visitorKey)
        do {
            return .success(try reader.event(fields, now: now))
        } catch {
            var rejection = error
            rejection.source = (try? reader.text(fields.source, "source")) ?? nil
            return .failure(rejection)
        }
    }
}

/// The known top-level members of a line, as scanned (a JSON `null` is stored as absent).
struct EventFields {
    var type, share, advocate, venue, campaign, network, followers: JSONValue?
    var visitor, bot, value, source, seq, ts, test: JSONValue?
    /// Not an event field: a control request (`{"command":"status"}`) sent to the wrong socket.
    var command: JSONValue?
    /// One bit per known member seen (a repeat of one is caught without hashing), in the order of `set`.
    private var known: UInt16 = 0
    /// The names of the members that are not known ones.
    private var unknown = MemberNames()

    /// Scans the whole line, which must be one JSON object, keeping the known members.
    mutating func scan(_ scanner: inout JSONScanner) throws(JSONError) {
        scanner.skipWhitespace()
        try scanner.expect(UInt8(ascii: "{"), "expected '{' (a line is one JSON object)")
        scanner.skipWhitespace()
        if scanner.peek != UInt8(ascii: "}") {
            repeat {
                scanner.skipWhitespace()
                let offset = scanner.index
                let name = try scanner.memberName()
                let value = try scanner.value()
                guard scanner.withContent(of: name, { set($0, value.kind == .null ? nil : value) }) else {
                    throw JSONError(offset: offset, reason: "repeated member name")
                }
                scanner.skipWhitespace()
            } while scanner.consume(UInt8(ascii: ","))
        }
        try scanner.expect(UInt8(ascii: "}"), "expected ',' or '}'")
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw JSONError(offset: scanner.index, reason: "unexpected data after the object") }
    }

    /// Keeps the member `name` if it is a known one; `false` if the line already had a member of that name.
    private mutating func set(_ name: UnsafeRawBufferPointer, _ value: JSONValue?) -> Bool {
        func `is`(_ known: StaticString) -> Bool { _equals(name, known) }
        switch name.count {
        case 2 where `is`("ts"): guard claim(0) else { return false }; ts = value
        case 3 where `is`("bot"): guard claim(1) else { return false }; bot = value
        case 3 where `is`("seq"): guard claim(2) else { return false }; seq = value
        case 4 where `is`("type"): guard claim(3) else { return false }; type = value
        case 4 where `is`("test"): guard claim(13) else { return false }; test = value
        case 5 where `is`("share"): guard claim(4) else { return false }; share = value
        case 5 where `is`("venue"): guard claim(5) else { return false }; venue = value
        case 5 where `is`("value"): guard claim(6) else { return false }; self.value = value
        case 6 where `is`("source"): guard claim(7) else { return false }; source = value
        case 7 where `is`("network"): guard claim(8) else { return false }; network = value
        case 7 where `is`("visitor"): guard claim(9) else { return false }; visitor = value
        case 7 where `is`("command"): guard claim(14) else { return false }; command = value
        case 8 where `is`("advocate"): guard claim(10) else { return false }; advocate = value
        case 8 where `is`("campaign"): guard claim(11) else { return false }; campaign = value
        case 9 where `is`("followers"): guard claim(12) else { return false }; followers = value
        default: return unknown.insert(name, in: 0)
        }
        return true
    }

    /// Marks known member number `bit` as seen; `false` if it was already.
    private mutating func claim(_ bit: UInt16) -> Bool {
        defer { known |= 1 << bit }
        return known & 1 << bit == 0
    }
}

/// Turns scanned fields into an event, checking each field's type and range.
struct FieldReader {
    let scanner: JSONScanner
    let visitorKey: VisitorKey

    private enum EventType { case share, click, conversion }

    func event(_ fields: EventFields, now: Int64) throws(Rejection) -> Event {
        guard let typeValue = fields.type else {
            guard fields.command == nil else { throw Rejection.controlRequest }
            throw missing("type")
        }
        guard case .string = typeValue.kind else { throw bad("type", "a string: share, click or conversion") }
        let type = scanner.withContent(of: typeValue) { name -> EventType? in
            func `is`(_ known: StaticString) -> Bool { _equals(name, known) }
            return `is`("share") ? .share : `is`("click") ? .click : `is`("conversion") ? .conversion : nil
        }
        guard let type else {
            let name = scanner.withContent(of: typeValue) { $0.count <= 32 && _isToken($0) ? String(decoding: $0, as: UTF8.self) : nil }
            throw Rejection(.unknownType, "unknown type\(name.map { " '\($0)'" } ?? ""); expected share, click or conversion")
        }

        let token = try need(token(fields.share), "share")
        let kind: Event.Kind
        switch type {
        case .share:
            kind = .share(ShareAttributes(
                advocate: try need(text(fields.advocate, "advocate"), "advocate"),
                venue: try need(text(fields.venue, "venue"), "venue"),
                campaign: try text(fields.campaign, "campaign"),
                network: try need(network(fields.network), "network"),
                followers: Int(try need(integer(fields.followers, "followers", in: 0...1_000_000_000), "followers"))
            ))
        case .click:
            kind = .click(visitor: try visitor(fields.visitor), bot: try bool(fields.bot, "bot") ?? false)
        case .conversion:
            kind = .conversion(visitor: try visitor(fields.visitor), value: try amount(fields.value, "value") ?? .zero)
        }

        let origin: Origin?
        switch (try text(fields.source, "source"), try integer(fields.seq, "seq", in: 1...(1 << 53))) {
        case let (source?, seq?): origin = Origin(source: source, seq: seq)
        case (nil, nil): origin = nil
        case (_?, nil): throw missing("seq", "required with 'source'")
        case (nil, _?): throw missing("source", "required with 'seq'")
        }

        return Event(token: token, kind: kind, origin: origin, time: try time(fields.ts, now: now),
                     test: try bool(fields.test, "test") ?? false)
    }

    /// The keyed hash of a `visitor` id (validated as free text), or nil when absent.
    func visitor(_ value: JSONValue?) throws(Rejection) -> UInt64? {
        guard let value else { return nil }
        guard case .string = value.kind,
              let hash = scanner.withContent(of: value, { isValidText($0) ? visitorKey.hash($0) : nil })
        else { throw bad("visitor", "1-128 characters without control characters") }
        return hash
    }

    /// A `share` token, or nil when absent.
    func token(_ value: JSONValue?) throws(Rejection) -> String? {
        try string(value, "share", "1-128 characters of A-Z a-z 0-9 . _ ~ -", valid: _isToken)
    }

    /// A free-text id (`advocate`, `venue`, `campaign`, `source`, `visitor`), or nil when absent.
    func text(_ value: JSONValue?, _ name: StaticString) throws(Rejection) -> String? {
        try string(value, name, "1-128 characters without control characters", valid: isValidText)
    }

    /// A `network` name, or nil when absent.
    func network(_ value: JSONValue?) throws(Rejection) -> String? {
        try string(value, "network", "1-32 characters of a-z 0-9 _ -", valid: _isNetwork)
    }

    private func string(
        _ value: JSONValue?, _ name: StaticString, _ rule: String, valid: (UnsafeRawBufferPointer) -> Bool
    ) throws(Rejection) -> String? {
        guard let value else { return nil }
        guard case .string = value.kind,
              let string = scanner.withContent(of: value, { valid($0) ? String(decoding: $0, as: UTF8.self) : nil })
        else { throw bad(name, rule) }
        return string
    }

    /// A number whose value is an integer in `range` (`1e3` and `1000.0` are 1000), or nil when absent.
    func integer(_ value: JSONValue?, _ name: StaticString, in range: ClosedRange<UInt64>) throws(Rejection) -> UInt64? {
        guard let value else { return nil }
        guard value.kind == .number, let integer = _exactInteger(scanner.raw(value), max: range.upperBound),
              range.contains(integer)
        else { throw bad(name, "an integer from \(range.lowerBound) to \(range.upperBound)") }
        return integer
    }

    func bool(_ value: JSONValue?, _ name: StaticString) throws(Rejection) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let bool) = value.kind else { throw bad(name, "true or false") }
        return bool
    }

    /// A number from 0 to 1,000,000,000, exact to the thousandth (`Money.parse`), or nil when absent.
    func amount(_ value: JSONValue?, _ name: StaticString) throws(Rejection) -> Money? {
        guard let value else { return nil }
        guard value.kind == .number, let money = Money.parse(scanner.raw(value), maximum: .maxConversion)
        else { throw bad(name, "a number from 0 to 1000000000") }
        return money
    }

    /// 2000-01-01T00:00:00Z: no event is older (the contract refuses an earlier `ts`).
    static let earliestTime: Int64 = 946_684_800

    /// `ts` in seconds since the epoch, from 2000 to no more than 300 seconds after `now`; nil when absent.
    func time(_ value: JSONValue?, now: Int64) throws(Rejection) -> Int64? {
        guard let value else { return nil }
        guard case .string = value.kind, let time = scanner.withContent(of: value, { RFC3339.parse($0) })
        else { throw bad("ts", "an RFC 3339 time such as 2026-11-27T20:15:00Z") }
        guard time - 300 <= now else { throw Rejection(.badField, "field 'ts' is more than 5 minutes in the future") }
        guard time >= Self.earliestTime else { throw Rejection(.badField, "field 'ts' is before 2000-01-01T00:00:00Z") }
        return time
    }

    private func need<T>(_ value: T?, _ name: StaticString) throws(Rejection) -> T {
        guard let value else { throw missing(name) }
        return value
    }

    private func missing(_ name: StaticString, _ note: String = "") -> Rejection {
        Rejection(.missingField, "missing field '\(name)'" + (note.isEmpty ? "" : " (\(note))"))
    }

    private func bad(_ name: StaticString, _ expected: String) -> Rejection {
        Rejection(.badField, "field '\(name)' must be \(expected)")
    }
}

/// 1-128 characters of `A-Z a-z 0-9 . _ ~ -`.
func _isToken(_ bytes: UnsafeRawBufferPointer) -> Bool {
    (1...128).contains(bytes.count) && _allIn(bytes, low: 0x03FF_6000_0000_0000, high: 0x47FF_FFFE_87FF_FFFE)
}

/// 1-32 characters of `a-z 0-9 _ -`.
func _isNetwork(_ bytes: UnsafeRawBufferPointer) -> Bool {
    (1...32).contains(bytes.count) && _allIn(bytes, low: 0x03FF_2000_0000_0000, high: 0x07FF_FFFE_8000_0000)
}

/// Whether every byte is ASCII and in the set given as a bitmap of 0-63 (`low`) and 64-127 (`high`).
@inline(__always)
private func _allIn(_ bytes: UnsafeRawBufferPointer, low: UInt64, high: UInt64) -> Bool {
    bytes.allSatisfy { byte in byte < 0x80 && (byte < 0x40 ? low : high) >> (byte & 63) & 1 != 0 }
}

/// 1-128 Unicode scalars of valid UTF-8, none of them a control character (U+0000-U+001F, U+007F-U+009F).
func isValidText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    // Fast path: printable ASCII, eight bytes at a time.
    if (1...128).contains(bytes.count) {
        var i = 0, bad: UInt64 = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            bad |= _bytesBelow(word, 0x20) | _bytesBelow(word ^ 0x7F7F_7F7F_7F7F_7F7F, 1) | word & 0x8080_8080_8080_8080
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x20 || byte >= 0x7F { bad = 1 }
            i += 1
        }
        if bad == 0 { return true }
    }
    var scalars = 0
    for i in bytes.indices {
        let byte = bytes[i]
        // U+0080-U+009F are C2 80-C2 9F; a lead byte is always followed by its continuation.
        if byte < 0x20 || byte == 0x7F || (byte == 0xC2 && bytes[i + 1] < 0xA0) { return false }
        if byte & 0xC0 != 0x80 { scalars += 1 }
    }
    return (1...128).contains(scalars)
}

/// The value of a JSON number token if it is an integer no greater than `max`, computed exactly.
func _exactInteger(_ number: UnsafeRawBufferPointer, max: UInt64) -> UInt64? {
    // Fast path: up to 18 plain digits.
    if number.count <= 18 {
        var value: UInt64 = 0
        for byte in number {
            guard _isDigit(byte) else { return _exactDecimal(number, max: max) }
            value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
        }
        return value <= max ? value : nil
    }
    return _exactDecimal(number, max: max)
}

/// `_exactInteger` for any number: sign, fraction and exponent.
private func _exactDecimal(_ number: UnsafeRawBufferPointer, max: UInt64) -> UInt64? {
    // The value is mantissa * 10^scale; trailing zeros wait in `zeros` so that mantissa stays small.
    var mantissa: UInt64 = 0
    var scale = 0
    var zeros = 0
    var inFraction = false
    var i = number[0] == UInt8(ascii: "-") ? 1 : 0
    let negative = i == 1

    func times10(_ value: inout UInt64) -> Bool {
        let (product, overflow) = value.multipliedReportingOverflow(by: 10)
        value = product
        return !overflow && product <= max
    }

    digits: while i < number.count {
        let byte = number[i]
        i += 1
        switch byte {
        case UInt8(ascii: "."): inFraction = true; continue
        case UInt8(ascii: "e"), UInt8(ascii: "E"): break digits
        default: break
        }
        if inFraction { scale -= 1 }
        if byte == UInt8(ascii: "0") {
            zeros += 1
            continue
        }
        if mantissa != 0 {
            for _ in 0 ... zeros { guard times10(&mantissa) else { return nil } }
        }
        mantissa += UInt64(byte &- UInt8(ascii: "0"))
        zeros = 0
    }
    guard mantissa != 0 else { return 0 }

    var exponent = 0
    let negativeExponent = i < number.count && number[i] == UInt8(ascii: "-")
    while i < number.count {
        // Saturating: past 2^40 the answer no longer depends on the exponent.
        if _isDigit(number[i]) { exponent = min(exponent * 10 + Int(number[i] &- UInt8(ascii: "0")), 1 << 40) }
        i += 1
    }
    scale += zeros + (negativeExponent ? -exponent : exponent)

    guard !negative, scale >= 0 else { return nil }
    for _ in 0 ..< scale { guard times10(&mantissa) else { return nil } }
    return mantissa <= max ? mantissa : nil
}
