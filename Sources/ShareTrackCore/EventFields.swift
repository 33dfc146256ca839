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
        try scanner.object { set($0, $1.kind == .null ? nil : $1) }
    }

    /// Keeps the member `name` if it is a known one; `false` if the line already had a member of that name.
    private mutating func set(_ name: UnsafeRawBufferPointer, _ value: JSONValue?) -> Bool {
        func `is`(_ known: StaticString) -> Bool { ByteScan.equals(name, known) }
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
