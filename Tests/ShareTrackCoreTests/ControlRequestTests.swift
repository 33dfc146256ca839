import ShareTrackCore
import Testing

@Suite("Control requests")
struct ControlRequestTests {
    static func decode(_ text: String) throws(ControlError) -> ControlRequest {
        try ControlCodec.decodeRequest(Array(text.utf8))
    }

    static func code(_ text: String) -> ControlError.Code? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error.error
        }
    }

    @Test("a request that is not a control request names the member and what it must be", arguments: [
        ("[]", ControlError.Code.badJSON, "one JSON object"),
        (#""status""#, .badJSON, "one JSON object"),
        ("{}", .badRequest, "command is missing"),
        (#"{"command":"nope"}"#, .badRequest, "command must be one of status, top,"),
        (#"{"command":"top","query":{"limit":"x"}}"#, .badRequest, "query.limit must be a whole number"),
        (#"{"command":"top","query":{"filter":{"tier":"huge"}}}"#, .badRequest, "query.filter.tier must be one of nano, micro"),
        (#"{"command":"sources","query":{"silent_after":true}}"#, .badRequest, "query.silent_after must be a whole number"),
        (#"{"command":"top","query":{"by":null,"filter":{"venue":7}}}"#, .badRequest, "query.filter.venue must be a string"),
        // Numbers no Swift integer holds, which Foundation reports without the member.
        (#"{"command":"top","query":{"limit":1e30}}"#, .badRequest, "query.limit must be a whole number"),
        (#"{"command":"top","query":{"limit":1.5}}"#, .badRequest, "query.limit must be a whole number"),
        (#"{"command":"top","query":{"filter":{"since":9223372036854775808}}}"#, .badRequest,
         "query.filter.since must be a whole number"),
    ])
    func problems(request: String, code: ControlError.Code, message: String) {
        #expect(throws: ControlError.self) { try Self.decode(request) }
        do {
            _ = try Self.decode(request)
        } catch {
            #expect(error.error == code && error.message.contains(message), "\(error.message)")
        }
    }

    @Test("query and query.filter are optional")
    func filterIsOptional() throws {
        #expect(try Self.decode(#"{"command":"top","query":{"limit":3}}"#).query == Query(limit: 3))
        #expect(try Self.decode(#"{"command":"top","query":{}}"#).query == Query())
        #expect(try Self.decode(#"{"command":"top"}"#).query == nil)
        #expect(try Self.decode(#"{"command":"venues","query":{"filter":{"venue":"v1"}}}"#).query?.filter.venue == "v1")
    }

    @Test("every member of a query survives encoding and decoding")
    func roundTrip() throws {
        let request = ControlRequest(command: .top, query: Query(
            id: "a1", by: "clicks", limit: 7, filter: QueryFilter(advocate: "a", venue: "v", campaign: "c", network: "x",
                                                                  tier: .micro, since: 3600, until: 7200),
            silentAfter: 60, path: "/tmp/backup.db"))
        #expect(try ControlCodec.decodeRequest(ControlCodec.requestLine(request).dropLast()) == request)
    }

    @Test("a repeated member name is bad_json, at any depth and however it is escaped", arguments: [
        #"{"command":"status","command":"top"}"#,
        #"{"command":"top","query":{"limit":1,"limit":2}}"#,
        #"{"command":"top","query":{"filter":{"since":1,"\u0073ince":2}}}"#,
        #"{"command":"top","query":{"filter":{"venue":"a","x":[{"b":1,"b":2}]}}}"#,
    ])
    func duplicateNames(request: String) {
        #expect(Self.code(request) == .badJSON)
    }

    @Test("the same name in different objects, or as a value, is fine")
    func distinctNames() throws {
        let request = try Self.decode(#"{"command":"top","query":{"by":"query","filter":{"venue":"command"}},"x":{"command":1}}"#)
        #expect(request.query?.by == "query")
        #expect(try Self.decode(#"{"command":"status","a":"\"a\"","b":{"a":1},"c":["a","a"]}"#).command == .status)
    }

    @Test("text that is not JSON is bad_json; JSON that is not a request is bad_request")
    func notJSON() {
        #expect(Self.code("nonsense") == .badJSON)
        #expect(Self.code(#"{"command":"sta"#) == .badJSON)
        #expect(Self.code(#"{"command":"bogus"}"#) == .badRequest)
        #expect(Self.code(#"{"command":"top","query":{"limit":1e30}}"#) == .badRequest)
    }

    static let unreadable = ControlError(.badRequest, "not a control request: it holds a number beyond the range of a double, "
                                         + "or objects and arrays nested too deep")

    @Test("bad_json says where and what is wrong, as ingest does; JSON Foundation cannot read is bad_request", arguments: [
        (#"{"command":"status","x":"\ud800"}"#,
         ControlError(.badJSON, "a request is one JSON object on one line: invalid JSON at byte 26: unpaired surrogate escape")),
        (#"{"command":"status"} x"#,
         ControlError(.badJSON, "a request is one JSON object on one line: invalid JSON at byte 22: unexpected data after the object")),
        (#"{"command":"status","x":{"a":1,"\u0061":2}}"#,
         ControlError(.badJSON, "a request is one JSON object on one line: invalid JSON at byte 32: repeated member name")),
        (#"{"command":"status","x":1e999}"#, unreadable),
        (#"{"command":"status","x":"# + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}", unreadable),
    ])
    func precise(request: String, error: ControlError) {
        #expect(throws: error) { try ControlCodec.decodeRequest(Array(request.utf8)) }
    }

    @Test("a request may start with a byte order mark, as an ingest line may")
    func byteOrderMark() throws {
        #expect(try ControlCodec.decodeRequest([0xEF, 0xBB, 0xBF] + Array(#"{"command":"flush"}"#.utf8)).command == .flush)
    }

    @Test("a request that is not UTF-8 is bad_json, saying so")
    func notUTF8() {
        #expect(throws: ControlError(.badJSON, "a request is UTF-8 text, and this one is not valid UTF-8")) {
            try ControlCodec.decodeRequest(Array(#"{"command":"status","x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        }
    }

    @Test("times outside years 1 to 9999 are refused, not overflowed", arguments: [
        QueryFilter(until: .max), QueryFilter(until: .min), QueryFilter(since: .min), QueryFilter(since: .max),
        QueryFilter(since: 0, until: QueryFilter.timeRange.upperBound + 1),
        QueryFilter(since: QueryFilter.timeRange.lowerBound - 1),
    ])
    func timesOutOfRange(filter: QueryFilter) {
        #expect(throws: ControlError.self) { try filter.checkRange() }
    }

    @Test("times at the ends of the range round to whole hours")
    func roundingAtTheEnds() throws {
        let widest = QueryFilter(since: QueryFilter.timeRange.lowerBound, until: QueryFilter.timeRange.upperBound)
        try widest.checkRange()
        #expect(widest.sinceHour == -17_259_888)
        #expect(widest.untilHour == 70_389_528)
        #expect(QueryFilter(until: 7200).untilHour == 2)
        #expect(QueryFilter(until: 7201).untilHour == 3)
        #expect(QueryFilter(until: -1).untilHour == 0)
        #expect(QueryFilter(until: -3600).untilHour == -1)
        #expect(QueryFilter(since: -1).sinceHour == -1)
        // Every Int64 has an hour bucket, without a trap.
        #expect(Int64.min.hourBucket == -2_562_047_788_015_216)
        #expect(Int64.max.hourBucket == 2_562_047_788_015_215)
    }

    @Test("an empty range is refused")
    func emptyRange() {
        #expect(throws: ControlError.self) { try QueryFilter(since: 7200, until: 3600).checkRange() }
        #expect(throws: ControlError.self) { try QueryFilter(since: 3600, until: 3600).checkRange() }
    }
}
