import Foundation
import TestSupport

/// The simplest possible implementation of "What is counted", to check the daemon against.
struct ReferenceModel {
    struct Row: Equatable, CustomStringConvertible {
        var shares = 0, reach = 0, clicks = 0, uniqueClicks = 0, botClicks = 0, conversions = 0
        var value = 0.0

        var description: String {
            "s=\(shares) r=\(reach) c=\(clicks) u=\(uniqueClicks) b=\(botClicks) cv=\(conversions) v=\(value)"
        }
    }

    struct Key: Hashable { var token: String; var hour: Int64 }

    var counters: [Key: Row] = [:]
    var shares: [String: Int] = [:]  // token -> followers
    var visitors = Set<[String]>()
    var highestSeq: [String: Int] = [:]

    /// Applies an event and returns the expected response: "ok" or "duplicate".
    mutating func apply(_ event: TestEvent) -> String {
        if let (source, seq) = event.origin {
            if seq <= highestSeq[source, default: 0] { return "duplicate" }
            highestSeq[source] = seq
        }
        let key = Key(token: event.token, hour: event.time / 3600)
        switch event.kind {
        case .share(_, _, let followers):
            if shares[event.token] != nil { return "duplicate" }
            shares[event.token] = followers
            counters[key, default: Row()].shares += 1
            counters[key, default: Row()].reach += followers
        case .click(let visitor, let bot):
            if bot {
                counters[key, default: Row()].botClicks += 1
            } else {
                counters[key, default: Row()].clicks += 1
                if let visitor {
                    if visitors.insert([event.token, visitor]).inserted { counters[key, default: Row()].uniqueClicks += 1 }
                } else {
                    counters[key, default: Row()].uniqueClicks += 1
                }
            }
        case .conversion(let value):
            counters[key, default: Row()].conversions += 1
            counters[key, default: Row()].value += value
        }
        return "ok"
    }
}

/// An event as a test builds it, with its JSON line.
struct TestEvent {
    enum Kind {
        case share(advocate: String, venue: String, followers: Int)
        case click(visitor: String?, bot: Bool)
        case conversion(value: Double)
    }

    var token: String
    var kind: Kind
    var time: Int64
    var origin: (String, Int)?

    var line: String {
        var fields: [String] = ["\"share\":\"\(token)\"", "\"ts\":\"\(Self.rfc3339(time))\""]
        switch kind {
        case .share(let advocate, let venue, let followers):
            fields += ["\"type\":\"share\"", "\"advocate\":\"\(advocate)\"", "\"venue\":\"\(venue)\"",
                       "\"network\":\"instagram\"", "\"followers\":\(followers)", "\"campaign\":\"spring\""]
        case .click(let visitor, let bot):
            fields.append("\"type\":\"click\"")
            if let visitor { fields.append("\"visitor\":\"\(visitor)\"") }
            if bot { fields.append("\"bot\":true") }
        case .conversion(let value):
            fields += ["\"type\":\"conversion\"", "\"value\":\(value)"]
        }
        if let (source, seq) = origin { fields += ["\"source\":\"\(source)\"", "\"seq\":\(seq)"] }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// A seeded random stream of shares, clicks (some bot, some repeat visitors, some orphans) and
/// conversions over the last three days.
struct EventStream {
    private var random: SplitMix

    init(seed: UInt64) {
        random = SplitMix(seed: seed)
    }

    mutating func make(count: Int, tokenPrefix: String, source: String? = nil) -> [TestEvent] {
        let now = Int64(Date().timeIntervalSince1970)
        var tokens: [String] = []
        var events: [TestEvent] = []
        for index in 0..<count {
            let time = now - Int64(random.next(below: 3 * 24 * 3600))
            let roll = random.next(below: 100)
            var event: TestEvent
            if tokens.isEmpty || roll < 15 {
                let token = "\(tokenPrefix)-\(tokens.count)"
                tokens.append(token)
                event = TestEvent(token: token, kind: .share(advocate: "adv\(random.next(below: 20))",
                                                             venue: "venue\(random.next(below: 4))",
                                                             followers: random.next(below: 200_000)), time: time)
            } else if roll < 20 {
                // A share token seen again: a duplicate share, or an orphan click's later share.
                let token = roll < 18 ? tokens[random.next(below: tokens.count)] : "\(tokenPrefix)-orphan\(random.next(below: 5))"
                event = TestEvent(token: token, kind: .share(advocate: "late", venue: "venue0", followers: 5), time: time)
            } else if roll < 85 {
                let token = roll < 25 ? "\(tokenPrefix)-orphan\(random.next(below: 5))" : tokens[random.next(below: tokens.count)]
                let visitor = roll % 3 == 0 ? nil : "v\(random.next(below: 30))"
                event = TestEvent(token: token, kind: .click(visitor: visitor, bot: roll % 11 == 0), time: time)
            } else {
                event = TestEvent(token: tokens[random.next(below: tokens.count)],
                                  kind: .conversion(value: Double(random.next(below: 10_000)) / 100), time: time)
            }
            if let source { event.origin = (source, index + 1) }
            events.append(event)
        }
        return events
    }
}

