import Testing
import TestSupport
@testable import ShareTrackCore

/// Receive time of every test line: 2026-11-27T20:15:00Z.
private let now: Int64 = 1_795_810_500

private func parse(_ line: String, now: Int64 = now) -> Result<Event, Rejection> {
    parse(bytes: Array(line.utf8), now: now)
}

private func parse(bytes: [UInt8], now: Int64 = now) -> Result<Event, Rejection> {
    bytes.withUnsafeBytes { EventParser(visitorKey: testKey).parse($0, now: now) }
}

private func event(_ line: String) -> Event? {
    try? parse(line).get()
}

private func rejection(_ line: String) -> Rejection? {
    guard case .failure(let rejection) = parse(line) else { return nil }
    return rejection
}

/// A JSON object from members given as (name, JSON text).
private func object(_ members: [(String, String)]) -> String {
    "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
}

private let shareMembers = [
    ("type", #""share""#), ("share", #""tok-1""#), ("advocate", #""ann""#), ("venue", #""bar""#),
    ("network", #""instagram""#), ("followers", "1200"),
]

/// A valid share with `members` added (or, for names already there, replaced).
private func share(_ members: (String, String)...) -> String {
    object(replacing(shareMembers, with: members))
}

private func click(_ members: (String, String)...) -> String {
    object(replacing([("type", #""click""#), ("share", #""tok-1""#)], with: members))
}

private func conversion(_ members: (String, String)...) -> String {
    object(replacing([("type", #""conversion""#), ("share", #""tok-1""#)], with: members))
}

/// `base` with `members` added (or, for names already there, replaced): a line repeats no name.
private func replacing(_ base: [(String, String)], with members: [(String, String)]) -> [(String, String)] {
    base.filter { base in !members.contains { $0.0 == base.0 } } + members
}

private let annAtBar = ShareAttributes(advocate: "ann", venue: "bar", campaign: nil, network: "instagram", followers: 1200)

private func quoted(_ text: String) -> String { "\"\(text)\"" }

private func line(setting field: String, to json: String) -> String {
    switch field {
    case "source": share(("source", json), ("seq", "1"))
    case "visitor": click(("visitor", json))
    default: share((field, json))
    }
}

private func textValue(of field: String, in event: Event) -> String? {
    switch (field, event.kind) {
    case ("source", _): event.origin?.source
    case ("visitor", .click(let visitor, _)): visitor.map(String.init)
    case ("advocate", .share(let share)): share.advocate
    case ("venue", .share(let share)): share.venue
    case ("campaign", .share(let share)): share.campaign
    default: nil
    }
}

/// A text field's JSON and its value after parsing (nil: rejected).
private let textCases: [(json: String, expected: String?)] = [
    (quoted(String(repeating: "x", count: 128)), String(repeating: "x", count: 128)),
    (quoted(String(repeating: "é", count: 128)), String(repeating: "é", count: 128)), // 128 scalars, 256 bytes
    (#""Zoë 😀 / \"q\"""#, "Zoë 😀 / \"q\""),
    (#""caf\u00e9""#, "café"),
    (#""\ud83d\ude00!""#, "😀!"),
    (#""\"\\\/""#, #""\/"#),
    (quoted(String(repeating: "x", count: 129)), nil),
    (quoted(String(repeating: "é", count: 129)), nil),
    (#""""#, nil),
    (#""a\tb""#, nil),
    (#""a\u0000b""#, nil),
    (#""a\u001fb""#, nil),
    (#""a\u007fb""#, nil),
    (quoted("a\u{7F}b"), nil),
    (#""a\u0085b""#, nil),
    (quoted("a\u{9F}b"), nil),
    ("12", nil),
    ("true", nil),
    (#"["a"]"#, nil),
]

@Suite struct EventParserTests {
    // MARK: - Accepted events

    @Test func shareWithEveryField() {
        let line = share(("campaign", #""xmas""#), ("source", #""kiosk-7""#), ("seq", "42"), ("ts", #""2026-11-27T20:00:00Z""#))
        var attributes = annAtBar
        attributes.campaign = "xmas"
        #expect(parse(line) == .success(Event(
            token: "tok-1", kind: .share(attributes), origin: Origin(source: "kiosk-7", seq: 42), time: now - 900
        )))
    }

    @Test func minimalEvents() {
        #expect(event(share()) == Event(token: "tok-1", kind: .share(annAtBar)))
        #expect(event(click()) == Event(token: "tok-1", kind: .click(visitor: nil, bot: false)))
        #expect(event(click(("visitor", #""v9""#), ("bot", "true"))) == Event(token: "tok-1", kind: .click(visitor: visitor("v9"), bot: true)))
        #expect(event(conversion()) == Event(token: "tok-1", kind: .conversion(visitor: nil, value: 0)))
        #expect(event(conversion(("visitor", #""v9""#), ("value", "12.5"))) == Event(token: "tok-1", kind: .conversion(visitor: visitor("v9"), value: 12.5)))
    }

    @Test(arguments: [
        " \t" + share() + " \r",
        "{ \"type\" : \"click\" ,\t\"share\"\r:\n\"tok-1\" }",
    ])
    func whitespaceAnywhere(line: String) {
        #expect(event(line) != nil)
    }

    @Test func byteOrderMarkAtTheStartIsIgnored() {
        #expect(event("\u{FEFF}" + share()) == Event(token: "tok-1", kind: .share(annAtBar)))
        #expect(rejection("\u{FEFF}")?.code == .badJSON)
        #expect(rejection(" \u{FEFF}" + share())?.code == .badJSON)
        #expect(rejection("\u{FEFF}\u{FEFF}" + share())?.code == .badJSON)
    }

    @Test func unknownFieldsAreIgnored() {
        let line = share(("extra", #"{"a":[1,2.5e-3,{"b":null,"c":[true,false,"x\n"]}],"d":{}}"#), ("more", "[]"), ("z", "-0.0E+2"))
        #expect(event(line) == Event(token: "tok-1", kind: .share(annAtBar)))
    }

    @Test(arguments: [
        // Fields of other types, even malformed, do not matter.
        click(("followers", #""many""#), ("advocate", "1"), ("campaign", "[]"), ("value", "-1"), ("network", "{}")),
        conversion(("bot", #""yes""#), ("followers", "-5")),
        click(("value", "null")),
    ])
    func irrelevantFieldsAreIgnored(line: String) {
        #expect(event(line) != nil)
    }

    @Test func nullMeansAbsent() {
        #expect(event(share(("campaign", "null"), ("ts", "null"), ("source", "null"), ("seq", "null"))) == Event(token: "tok-1", kind: .share(annAtBar)))
        #expect(event(click(("visitor", "null"), ("bot", "null"))) == Event(token: "tok-1", kind: .click(visitor: nil, bot: false)))
        #expect(rejection(share(("advocate", "null")))?.message == "missing field 'advocate'")
    }

    @Test(arguments: [
        #"{"type":"click","share":"a","share":"b"}"#,
        #"{"type":"click","share":7,"share":"b"}"#,
        #"{"type":"click","share":"a","share":null}"#,
        #"{"type":"share","type":"click","share":"a"}"#,
        #"{"type":"click","share":"a","x":1,"x":2}"#,
        #"{"type":"click","share":"a","\u0073hare":"b"}"#,
        #"{"type":"click","share":"a","x":{"k":1,"k":2}}"#,
        #"{"type":"click","share":"a","x":[{"k":1},{"a":{"b":1,"b":1}}]}"#,
        #"{"type":"click","share":"a","x":{"k":1,"y":{"z":2},"k":3}}"#,
    ])
    func repeatedMemberNameIsBadJSON(line: String) {
        let rejection = rejection(line)
        #expect(rejection?.code == .badJSON)
        #expect(rejection?.message.contains("repeated member name") == true)
    }

    @Test func sameNameInDifferentObjectsIsFine() {
        #expect(event(#"{"type":"click","share":"a","x":{"share":1,"k":2},"y":[{"k":1},{"k":2}],"k":{"k":{"k":0}}}"#)?.token == "a")
    }

    // MARK: - Check order and codes
    // MARK: - Check order and codes

    @Test(arguments: [
        ("", ErrorCode.badJSON),
        ("   ", .badJSON),
        ("[]", .badJSON),
        ("42", .badJSON),
        (#""share""#, .badJSON),
        ("null", .badJSON),
        ("{", .badJSON),
        (#"{"type":"click""#, .badJSON),
        (#"{"type":"click",}"#, .badJSON),
        (#"{"type" "click"}"#, .badJSON),
        (#"{type:"click"}"#, .badJSON),
        (#"{"type":'click'}"#, .badJSON),
        (#"{"type":"click"} x"#, .badJSON),
        (#"{"type":"click"}{}"#, .badJSON),
        (#"{"type":"click","share":"a"}}"#, .badJSON),
        (#"{"a":01}"#, .badJSON),
        (#"{"a":1.}"#, .badJSON),
        (#"{"a":.5}"#, .badJSON),
        (#"{"a":+1}"#, .badJSON),
        (#"{"a":-}"#, .badJSON),
        (#"{"a":1e}"#, .badJSON),
        (#"{"a":1e+}"#, .badJSON),
        (#"{"a":NaN}"#, .badJSON),
        (#"{"a":Infinity}"#, .badJSON),
        (#"{"a":tru}"#, .badJSON),
        (#"{"a":nulls}"#, .badJSON),
        (#"{"a":True}"#, .badJSON),
        (#"{"a":[1,]}"#, .badJSON),
        (#"{"a":[1 2]}"#, .badJSON),
        (#"{"a":[,1]}"#, .badJSON),
        (#"{"a":[}"#, .badJSON),
        (#"{"a":{]}"#, .badJSON),
        (#"{"a":{"b"}}"#, .badJSON),
        (#"{"a":{"b":1,}}"#, .badJSON),
        (#"{"a":{1:2}}"#, .badJSON),
        (#"{"a":[[[]]}"#, .badJSON),
        (#"{"a":"x\q"}"#, .badJSON),
        (#"{"a":"x\u12G4"}"#, .badJSON),
        (#"{"a":"x\u12"}"#, .badJSON),
        (#"{"a":"\uD800"}"#, .badJSON),
        (#"{"a":"\uDC00\uD800"}"#, .badJSON),
        (#"{"a":"\uD83D\u0041"}"#, .badJSON),
        (#"{"a":"\uD83Dx"}"#, .badJSON),
        ("{\"a\":\"x\ty\"}", .badJSON),
        ("{\"a\":\"x\u{0}y\"}", .badJSON),
        (#"{"a":"unterminated}"#, .badJSON),
        ("{\"type\":\"click\",\"share\":\"a\"}\u{0}", .badJSON),
        ("{\u{FEFF}\"type\":\"click\",\"share\":\"a\"}", .badJSON),
        // JSON is checked before any field, and `type` before the other fields.
        (#"{"type":"click","share":"bad token","x":}"#, .badJSON),
        (#"{"share":"bad token"}"#, .missingField),
        (#"{"type":"poke","share":"bad token"}"#, .unknownType),
        (#"{"type":"share"}"#, .missingField),
    ])
    func errorCodes(line: String, code: ErrorCode) {
        #expect(rejection(line)?.code == code)
    }

    @Test(arguments: [
        [0xFF],
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D], // {"a":"<C3>"} truncated sequence
        [0xC0, 0x80], // overlong NUL
        [0xE0, 0x80, 0xAF], // overlong
        [0xED, 0xA0, 0x80], // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0x80],
        [0xE2, 0x82],
    ] as [[UInt8]])
    func badUTF8(bytes: [UInt8]) {
        let line = Array(#"{"type":"click","share":"a","x":"#.utf8) + bytes + Array("}".utf8)
        guard case .failure(let rejection) = parse(bytes: line) else { Issue.record("accepted"); return }
        #expect(rejection.code == .badUTF8)
        #expect(rejection.message == "line is not valid UTF-8")
        // Checked before JSON, even where a byte is not inside a string.
        guard case .failure(let bare) = parse(bytes: bytes + Array("{".utf8)) else { Issue.record("accepted"); return }
        #expect(bare.code == .badUTF8)
    }

    @Test func badJSONMessageSaysWhere() {
        #expect(rejection(#"{"a" 1}"#)?.message == "invalid JSON at byte 6: expected ':'")
        #expect(rejection("[1]")?.message == "invalid JSON at byte 1: expected '{' (a line is one JSON object)")
        #expect(rejection(#"{"type":"click"} x"#)?.message == "invalid JSON at byte 18: unexpected data after the object")
        #expect(rejection(#"{"a":"\uD800"}"#)?.message == "invalid JSON at byte 7: unpaired surrogate escape")
    }

    // MARK: - type

    @Test func typeField() {
        #expect(rejection(#"{"share":"a"}"#) == Rejection(.missingField, "missing field 'type'"))
        #expect(rejection(#"{"type":null,"share":"a"}"#)?.code == .missingField)
        #expect(rejection(#"{"type":1,"share":"a"}"#) == Rejection(.badField, "field 'type' must be a string: share, click or conversion"))
        #expect(rejection(#"{"type":["click"],"share":"a"}"#)?.code == .badField)
        #expect(rejection(#"{"type":"Click","share":"a"}"#) == Rejection(.unknownType, "unknown type 'Click'; expected share, click or conversion"))
        #expect(rejection(#"{"type":"","share":"a"}"#) == Rejection(.unknownType, "unknown type; expected share, click or conversion"))
        #expect(rejection(#"{"type":"cl\"ick","share":"a"}"#) == Rejection(.unknownType, "unknown type; expected share, click or conversion"))
        #expect(event(#"{"type":"\u0063lick","share":"a"}"#) != nil)
    }

    // MARK: - Required fields

    @Test(arguments: ["share", "advocate", "venue", "network", "followers"])
    func shareRequires(field: String) {
        let without = object(shareMembers.filter { $0.0 != field })
        #expect(rejection(without) == Rejection(.missingField, "missing field '\(field)'"))
        #expect(rejection(share((field, "null")))?.code == .missingField)
    }

    @Test(arguments: ["click", "conversion"])
    func clickAndConversionRequireShare(type: String) {
        #expect(rejection(object([("type", quoted(type))])) == Rejection(.missingField, "missing field 'share'"))
    }

    // MARK: - share token

    @Test(arguments: [
        (String(repeating: "a", count: 128), true),
        (String(repeating: "a", count: 129), false),
        ("AZaz09._~-", true),
        ("x", true),
        ("", false),
        ("a b", false),
        ("a/b", false),
        ("a+b", false),
        ("é", false),
        (#"\u0061b"#, true), // escapes are decoded first: "ab"
        (#"a\/b"#, false),
    ])
    func shareToken(token: String, valid: Bool) {
        let result = parse(click(("share", quoted(token))))
        if valid {
            #expect((try? result.get()) != nil)
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'share' must be 1-128 characters of A-Z a-z 0-9 . _ ~ -")))
        }
    }

    @Test func shareTokenMustBeAString() {
        #expect(rejection(click(("share", "12")))?.code == .badField)
    }

    // MARK: - Free-text ids: advocate, venue, campaign, source, visitor

    @Test(arguments: ["advocate", "venue", "campaign", "source", "visitor"], textCases)
    func textField(field: String, textCase: (json: String, expected: String?)) {
        let result = parse(line(setting: field, to: textCase.json))
        if let expected = textCase.expected {
            // A visitor id is known only by its keyed hash.
            let stored = field == "visitor" ? String(visitor(expected)) : expected
            #expect(result.map { textValue(of: field, in: $0) } == .success(stored))
        } else {
            #expect(result == .failure(Rejection(.badField, "field '\(field)' must be 1-128 characters without control characters")))
        }
    }

    /// An id's length is counted in NFC, as it is stored: `e` and U+0301 are one character, and
    /// U+0958 (which NFC decomposes) two.
    @Test(arguments: ["advocate", "venue", "campaign", "source"], [
        (String(repeating: "e\u{301}", count: 128), String(repeating: "\u{E9}", count: 128)),
        (String(repeating: "e\u{301}", count: 129), nil),
        (String(repeating: "\u{958}", count: 64), String(repeating: "\u{915}\u{93C}", count: 64)),
        (String(repeating: "\u{958}", count: 65), nil),
    ] as [(String, String?)])
    func textLengthInNFC(field: String, textCase: (sent: String, stored: String?)) {
        let result = parse(line(setting: field, to: quoted(textCase.sent)))
        if let stored = textCase.stored {
            #expect(result.map { textValue(of: field, in: $0)?.unicodeScalars.elementsEqual(stored.unicodeScalars) } == .success(true))
        } else {
            #expect(result == .failure(Rejection(.badField, "field '\(field)' must be 1-128 characters without control characters")))
        }
    }

    @Test func textAllowsNonControlNeighboursOfControlRanges() {
        #expect(event(share(("advocate", quoted("\u{A0}\u{7E}\u{20}")))) != nil)
    }

    // MARK: - network

    @Test(arguments: [
        ("x", true),
        ("tik_tok-2", true),
        (String(repeating: "n", count: 32), true),
        (String(repeating: "n", count: 33), false),
        ("", false),
        ("Instagram", false),
        ("insta gram", false),
        ("x.com", false),
    ])
    func network(name: String, valid: Bool) {
        let result = parse(share(("network", quoted(name))))
        if valid {
            #expect(result.map { $0.kind } == .success(.share(ShareAttributes(advocate: "ann", venue: "bar", campaign: nil, network: name, followers: 1200))))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'network' must be 1-32 characters of a-z 0-9 _ -")))
        }
    }

    // MARK: - Integers: followers and seq

    @Test(arguments: [
        ("0", 0),
        ("-0", 0),
        ("0.0", 0),
        ("1000000000", 1_000_000_000),
        ("1000", 1000),
        ("1000.0", 1000),
        ("1e3", 1000),
        ("10E2", 1000),
        ("1.5e3", 1500),
        ("100000e-2", 1000),
        ("1E+9", 1_000_000_000),
        ("0.00e5", 0),
        ("1000000001", nil),
        ("2e9", nil),
        ("1.5", nil),
        ("1.0000000000000001", nil),
        ("-1", nil),
        ("1e-1", nil),
        ("1e999999999999999999999", nil),
        ("123456789012345678901234567890", nil),
        ("1e30", nil),
        ("18446744073709551616", nil),
        (#""12""#, nil),
        ("true", nil),
        ("[1]", nil),
    ] as [(String, Int?)])
    func followers(json: String, expected: Int?) {
        let result = parse(share(("followers", json)))
        if let expected {
            #expect(result.map { $0.kind } == .success(.share(ShareAttributes(advocate: "ann", venue: "bar", campaign: nil, network: "instagram", followers: expected))))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'followers' must be an integer from 0 to 1000000000")))
        }
    }

    @Test(arguments: [
        ("1", 1),
        ("9007199254740992", 9_007_199_254_740_992),
        ("9007199254740992.000", 9_007_199_254_740_992),
        ("9.007199254740992e15", 9_007_199_254_740_992),
        ("0", nil),
        ("9007199254740993", nil),
        ("9.007199254740993e15", nil),
        ("1e16", nil),
        ("18446744073709551616", nil),
        ("-1", nil),
        ("1.5", nil),
        (#""7""#, nil),
    ] as [(String, UInt64?)])
    func seq(json: String, expected: UInt64?) {
        let result = parse(click(("source", #""r1""#), ("seq", json)))
        if let expected {
            #expect(result.map { $0.origin } == .success(Origin(source: "r1", seq: expected)))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'seq' must be an integer from 1 to 9007199254740992", source: "r1")))
        }
    }

    @Test func sourceAndSeqComeTogether() {
        #expect(rejection(click(("source", #""r1""#))) == Rejection(.missingField, "missing field 'seq' (required with 'source')", source: "r1"))
        #expect(rejection(click(("seq", "3"))) == Rejection(.missingField, "missing field 'source' (required with 'seq')"))
        #expect(rejection(click(("source", "null"), ("seq", "3")))?.code == .missingField)
        #expect(rejection(click(("source", #""r1""#), ("seq", "null")))?.code == .missingField)
    }

    // MARK: - bot and value

    @Test(arguments: [("true", true), ("false", false), ("null", false), ("1", nil), (#""true""#, nil)] as [(String, Bool?)])
    func bot(json: String, expected: Bool?) {
        let result = parse(click(("bot", json)))
        if let expected {
            #expect(result.map { $0.kind } == .success(.click(visitor: nil, bot: expected)))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'bot' must be true or false")))
        }
    }

    /// `value` exactly, in thousandths: rounded half up, at most 1,000,000,000, never negative.
    @Test(arguments: [
        ("0", 0), ("12.5", 12_500), ("1e2", 100_000), ("0.1", 100), ("1e-400", 0), ("null", 0), ("-0", 0),
        ("-0.0", 0), ("0.0005", 1), ("0.00049999", 0), ("0.0015", 2), ("19.99", 19_990), ("1.2345e2", 123_450),
        ("123456789.123", 123_456_789_123), ("1000000000", 1_000_000_000_000), ("1e9", 1_000_000_000_000),
        ("1000000000.000", 1_000_000_000_000), ("0.000000000000000000000000000001", 0),
        ("100000000000000000000000000e-18", 100_000_000_000), ("1E+2", 100_000),
        ("1000000000.0001", nil), ("1000000001", nil), ("1.7976931348623157e308", nil), ("-1", nil),
        ("-0.01", nil), ("1e400", nil), ("1e99999999999999999999", nil), (#""5""#, nil), ("false", nil),
    ] as [(String, Int64?)])
    func value(json: String, expected: Int64?) {
        let result = parse(conversion(("value", json)))
        if let expected {
            #expect(result.map { $0.kind } == .success(.conversion(visitor: nil, value: Money(thousandths: expected))))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'value' must be a number from 0 to 1000000000")))
        }
    }

    @Test("a visitor id is hashed with the key: the same under one key, another under a different key")
    func visitorIsHashed() throws {
        let other = try #require(VisitorKey(bytes: [UInt8](repeating: 8, count: VisitorKey.size)))
        let line = Array(click(("visitor", #""person-42""#)).utf8)
        func hash(_ key: VisitorKey) -> UInt64? {
            guard case .success(let event) = line.withUnsafeBytes({ EventParser(visitorKey: key).parse($0, now: now) }),
                  case .click(let visitor, _) = event.kind else { return nil }
            return visitor
        }
        #expect(hash(testKey) == visitor("person-42"))
        #expect(hash(testKey) == hash(VisitorKey(bytes: [UInt8](repeating: 7, count: VisitorKey.size))!))
        #expect(hash(other) != hash(testKey))
        #expect(hash(testKey) != visitor("person-43"))
    }

    @Test("test: true marks a test event; false and null are absent; other types are bad_field")
    func testFlag() {
        #expect(event(click(("test", "true")))?.test == true)
        #expect(event(share(("test", "true")))?.test == true)
        #expect(event(conversion(("test", "false")))?.test == false)
        #expect(event(click(("test", "null")))?.test == false)
        #expect(event(click())?.test == false)
        #expect(rejection(click(("test", "1"))) == Rejection(.badField, "field 'test' must be true or false"))
        // Validated exactly like a real event.
        #expect(rejection(conversion(("test", "true"), ("value", "-1")))?.code == .badField)
        #expect(rejection(#"{"type":"click","test":true}"#)?.code == .missingField)
    }

    // MARK: - ts

    @Test(arguments: [
        (#""2026-11-27T20:15:00Z""#, now),
        (#""2026-11-27t21:15:00.999+01:00""#, now),
        (RFC3339.format(now + 300).debugDescription, now + 300),
        (#""2026-11-27T20:20:00.9Z""#, now + 300),
        (#""2000-01-01T00:00:00Z""#, 946_684_800),
        (#""2000-01-01T01:00:00+01:00""#, 946_684_800),
        (#""2026-11-27T20:20:01Z""#, nil),
    ] as [(String, Int64?)])
    func ts(json: String, expected: Int64?) {
        let result = parse(click(("ts", json)))
        if let expected {
            #expect(result.map { $0.time } == .success(expected))
        } else {
            #expect(result == .failure(Rejection(.badField, "field 'ts' is more than 5 minutes in the future")))
        }
    }

    @Test(arguments: [#""1999-12-31T23:59:59Z""#, #""2000-01-01T00:59:59+01:00""#, #""1970-01-01T00:00:00Z""#,
                      #""0000-01-01T00:00:00+23:59""#, #""1999-12-31T23:59:60Z""#, #""2000-01-01T00:59:60+01:00""#])
    func tsBefore2000IsBadField(json: String) {
        #expect(rejection(click(("ts", json))) == Rejection(.badField, "field 'ts' is before 2000-01-01T00:00:00Z"))
    }

    @Test(arguments: [#""yesterday""#, #""2026-11-27""#, #""2026-02-30T00:00:00Z""#, "1795810500", "true", #""""#])
    func tsMustBeRFC3339(json: String) {
        #expect(rejection(click(("ts", json))) == Rejection(.badField, "field 'ts' must be an RFC 3339 time such as 2026-11-27T20:15:00Z"))
    }

    // MARK: - Escaped keys, nesting

    @Test func escapedKeysMatch() {
        #expect(event(#"{"\u0074ype":"click","sh\u0061re":"a"}"#)?.token == "a")
    }

    @Test func deepNestingIsRejectedWithoutRecursion() {
        let open = String(repeating: "[", count: 100_000)
        #expect(rejection(click(("x", open)))?.code == .badJSON)
        #expect(rejection(click(("x", String(repeating: #"{"a":"#, count: 100_000))))?.code == .badJSON)
    }

    @Test func deepNestingIsAcceptedWhenValid() {
        let arrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(event(click(("x", arrays))) != nil)
        // Alternating objects and arrays, crossing the 64-level boundary of the inline stack many times.
        let mixed = String(repeating: #"{"a":[1,"#, count: 50_000) + "0" + String(repeating: "]}", count: 50_000)
        #expect(event(click(("x", mixed), ("y", mixed))) != nil)
        let unbalanced = String(repeating: #"{"a":["#, count: 70) + String(repeating: "]}", count: 69) + "}}"
        #expect(rejection(click(("x", unbalanced)))?.code == .badJSON)
    }

    // MARK: - Rejection source

    @Test func rejectionCarriesSourceWhenReadable() {
        #expect(rejection(share(("source", #""k1""#), ("seq", "1"), ("followers", "-1")))?.source == "k1")
        #expect(rejection(object([("type", #""nope""#), ("source", #""k1""#)]))?.source == "k1")
        #expect(rejection(object([("source", #""k1""#)]))?.source == "k1")
        #expect(rejection(share(("source", #""k1""#), ("seq", "1"), ("ts", #""2030-01-01T00:00:00Z""#)))?.source == "k1")
        #expect(rejection(share(("source", #""""#), ("seq", "1")))?.source == nil)
        #expect(rejection(share(("source", "7"), ("seq", "1")))?.source == nil)
        #expect(rejection(#"{"type":"click","source":"k1","seq":1,"share":}"#)?.source == nil)
    }
}
