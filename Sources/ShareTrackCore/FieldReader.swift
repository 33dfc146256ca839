/// Turns scanned fields into an event, checking each field's type and range.
struct FieldReader {
    let scanner: JSONScanner

    private enum EventType { case share, click, conversion }

    /// `visitorKey` is a parameter, not a member: a reader is made per line, and a key is 250 bytes.
    func event(_ fields: EventFields, now: Int64, visitorKey: VisitorKey) throws(Rejection) -> Event {
        guard let typeValue = fields.type else {
            guard fields.command == nil else { throw Rejection.controlRequest }
            throw missing("type")
        }
        guard case .string = typeValue.kind else { throw bad("type", "a string: share, click or conversion") }
        let type = scanner.withContent(of: typeValue) { name -> EventType? in
            func `is`(_ known: StaticString) -> Bool { ByteScan.equals(name, known) }
            return `is`("share") ? .share : `is`("click") ? .click : `is`("conversion") ? .conversion : nil
        }
        guard let type else {
            let name = scanner.withContent(of: typeValue) { $0.count <= 32 && FieldSyntax.isToken($0) ? String(decoding: $0, as: UTF8.self) : nil }
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
            kind = .click(visitor: try visitor(fields.visitor, key: visitorKey), bot: try bool(fields.bot, "bot") ?? false)
        case .conversion:
            kind = .conversion(visitor: try visitor(fields.visitor, key: visitorKey), value: try amount(fields.value, "value") ?? .zero)
        }

        let origin: Origin?
        switch (try text(fields.source, "source"), try seq(fields.seq)) {
        case let (source?, seq?): origin = Origin(source: source, seq: seq)
        case (nil, nil): origin = nil
        case (_?, nil): throw missing("seq", "required with 'source'")
        case (nil, _?): throw missing("source", "required with 'seq'")
        }

        return Event(token: token, kind: kind, origin: origin, time: try time(fields.ts, now: now),
                     test: try bool(fields.test, "test") ?? false)
    }

    /// The keyed hash of a `visitor` id (validated as free text), or nil when absent.
    func visitor(_ value: JSONValue?, key: VisitorKey) throws(Rejection) -> UInt64? {
        guard let value else { return nil }
        guard case .string = value.kind,
              let hash = scanner.withContent(of: value, { FieldSyntax.isValidText($0) ? key.hash($0) : nil })
        else { throw bad("visitor", "1-128 characters without control characters") }
        return hash
    }

    /// A `share` token, or nil when absent.
    func token(_ value: JSONValue?) throws(Rejection) -> String? {
        try string(value, "share", "1-128 characters of A-Z a-z 0-9 . _ ~ -", valid: FieldSyntax.isToken)
    }

    /// A free-text id (`advocate`, `venue`, `campaign`, `source`) in NFC (`CanonicalText`), or nil
    /// when absent. Its length is counted in NFC, as it is stored, so that an id gets one verdict
    /// however it is spelt (as sent it may have up to four times as many scalars).
    func text(_ value: JSONValue?, _ name: StaticString) throws(Rejection) -> String? {
        let rule = "1-128 characters without control characters"
        let text = try string(value, name, rule, valid: { FieldSyntax.isValidText($0, maxScalars: 4 * 128) },
                              text: CanonicalText.nfc)
        guard text.map({ $0.utf8.count <= 128 || $0.unicodeScalars.count <= 128 }) ?? true else { throw bad(name, rule) }
        return text
    }

    /// A `network` name, or nil when absent.
    func network(_ value: JSONValue?) throws(Rejection) -> String? {
        try string(value, "network", "1-32 characters of a-z 0-9 _ -", valid: FieldSyntax.isNetwork)
    }

    private func string(
        _ value: JSONValue?, _ name: StaticString, _ rule: String, valid: (UnsafeRawBufferPointer) -> Bool,
        text: (UnsafeRawBufferPointer) -> String = { String(decoding: $0, as: UTF8.self) }
    ) throws(Rejection) -> String? {
        guard let value else { return nil }
        guard case .string = value.kind,
              let string = scanner.withContent(of: value, { valid($0) ? text($0) : nil })
        else { throw bad(name, rule) }
        return string
    }

    /// `seq`: 1 to 2^53, or nil when absent.
    func seq(_ value: JSONValue?) throws(Rejection) -> UInt64? {
        try integer(value, "seq", in: 1...(1 << 53))
    }

    /// A number whose value is an integer in `range` (`1e3` and `1000.0` are 1000), or nil when absent.
    func integer(_ value: JSONValue?, _ name: StaticString, in range: ClosedRange<UInt64>) throws(Rejection) -> UInt64? {
        guard let value else { return nil }
        guard value.kind == .number, let integer = FieldSyntax.exactInteger(scanner.raw(value), max: range.upperBound),
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
