import Testing
import TestSupport

@testable import ShareTrackCore

@Suite("Engine: test events, money bound, erasures")
struct PrivacyEngineTests {
    static let now: Int64 = 1_795_800_000

    static func engine(valueTotal: Money = .zero) -> Engine {
        Engine(configuration: .init(), committedGeneration: 0, valueTotal: valueTotal)
    }

    static let reader = EngineBoundsTests.SharedTokens()

    @Test("a test event of every type counts only as a test, even with a seq, and waits for nothing")
    func testEvents() {
        var engine = Self.engine()
        let origin = Origin(source: "kiosk", seq: 5)
        let share = ShareAttributes(advocate: "ann", venue: "bar", campaign: nil, network: "x", followers: 10)
        let kinds: [Event.Kind] = [.share(share), .click(visitor: visitor("v"), bot: false),
                                   .click(visitor: nil, bot: true), .conversion(visitor: nil, value: 5)]
        for kind in kinds {
            let reply = engine.apply(Event(token: "t", kind: kind, origin: origin, test: true), now: Self.now, reader: Self.reader)
            #expect(reply == Engine.Reply(outcome: .test, waitFor: 0))
        }
        #expect(engine.totals.test == 4)
        #expect(engine.totals.acceptedCount == 0)
        #expect(engine.activeSource("kiosk")?.test == 4)
        #expect(engine.activeSource("kiosk")?.highestSeq == 0)
        #expect(engine.pending.counters.isEmpty && engine.pending.shares.isEmpty && engine.pending.visitors.isEmpty)
        #expect(engine.pending.events == 0)
        // Its seq neither dedupes nor advances: the real seq 5 is accepted afterwards.
        let real = Event(token: "t", kind: .click(visitor: nil, bot: false), origin: origin)
        #expect(engine.apply(real, now: Self.now, reader: Self.reader).outcome == .accepted)
    }

    @Test("the sum of all values can never pass Int64.max thousandths: the conversion that would is bad_field")
    func valueTotalIsBounded() {
        var engine = Self.engine(valueTotal: Money(thousandths: .max - 1_000_000_000_000))
        let conversion = Event(token: "t", kind: .conversion(visitor: nil, value: .maxConversion))
        #expect(engine.apply(conversion, now: Self.now, reader: Self.reader).outcome == .accepted)
        #expect(engine.valueTotal == Money(thousandths: .max))
        let one = Event(token: "t", kind: .conversion(visitor: nil, value: Money(thousandths: 1)))
        guard case .rejected(let rejection) = engine.apply(one, now: Self.now, reader: Self.reader).outcome else {
            Issue.record("accepted a conversion past the bound")
            return
        }
        #expect(rejection.code == .badField)
        #expect(rejection.message.contains("'value'"))
        // A conversion without value is still fine.
        let free = Event(token: "t", kind: .conversion(visitor: nil, value: .zero))
        #expect(engine.apply(free, now: Self.now, reader: Self.reader).outcome == .accepted)
    }

    @Test("an erasure leads a batch of its own, after the rows before it; the visitor is new again at once")
    func erasure() {
        var engine = Self.engine()
        let click = Event(token: "t", kind: .click(visitor: visitor("gone"), bot: false))
        _ = engine.apply(click, now: Self.now, reader: Self.reader)
        let generation = engine.erase(SealedErasure(.visitor(hash: visitor("gone")), key: testKey))
        #expect(generation == 2)
        #expect(engine.inFlight?.visitors.map(\.visitor) == [visitor("gone")])
        #expect(engine.pending.erasures == [.visitor(hash: visitor("gone"))])
        // A later click by the forgotten visitor counts as a first visit, in the erasure's batch.
        _ = engine.apply(click, now: Self.now, reader: Self.reader)
        #expect(engine.pending.counters.values.first?.uniqueClicks == 1)
        // While a batch is in flight (a failed flush), no erasure can begin.
        #expect(engine.erase(SealedErasure(.advocate(id: "ann", pseudonym: "forgotten-000000000000"), key: testKey)) == nil)
    }

    @Test("retention: a deleted pair is forgotten by the cache, so the visitor's next click is unique")
    func forgetVisitors() {
        var engine = Self.engine()
        let click = Event(token: "t", kind: .click(visitor: visitor("old"), bot: false))
        _ = engine.apply(click, now: Self.now, reader: Self.reader)
        engine.forgetVisitors([(token: "t", visitor: visitor("old"))])
        _ = engine.apply(click, now: Self.now, reader: Self.reader)
        #expect(engine.pending.counters.values.first?.uniqueClicks == 2)
    }
}

@Suite("Retention cut-off")
struct RetentionCutoffTests {
    /// 2026-11-27T10:30:00Z.
    static let now = 1_795_775_400.0

    @Test("a pair comes of age once its click is older than the retention, to the second")
    func cutoff() {
        // One hour's retention at 10:30: clicks before 9:30 are older than that.
        #expect(RetentionReport.cutoff(now: Self.now, retention: 3600) == Int64(Self.now) - 3600)
        #expect(RetentionReport.cutoff(now: Self.now + 0.75, retention: 3600) == Int64(Self.now) - 3600)
        #expect(RetentionReport.cutoff(now: Self.now, retention: 90 * 86400) == Int64(Self.now) - 90 * 86400)
        // A pair stored with its hour only is dated by the hour's last second.
        #expect(VisitorPair.time(inHour: 10) == 10 * 3600 + 3599)
        // Durations as the configuration spells them.
        #expect(DurationSetting(parsing: "90d") == DurationSetting(seconds: 7_776_000))
        #expect(DurationSetting(parsing: "12h") == DurationSetting(seconds: 43_200))
        #expect(DurationSetting(parsing: "30m")?.seconds == 1800)
        #expect(DurationSetting(parsing: "45")?.seconds == 45)
        #expect(DurationSetting(parsing: "-1d") == nil)
    }
}
