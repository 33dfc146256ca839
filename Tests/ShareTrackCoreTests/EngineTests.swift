import Testing
import TestSupport
@testable import ShareTrackCore

@Suite("Attribution engine")
struct EngineTests {
    /// Token states, visitors and producers the "database" holds; the engine reads them on a cache miss.
    final class FakeStore: EngineReader {
        var tokens: [String: StoredToken] = [:]
        var visitors: [String: Set<UInt64>] = [:]
        var sources: [String: SourceState] = [:]
        var loads = 0
        var visitorLookups = 0

        func token(_ token: String) throws -> StoredToken {
            loads += 1
            return tokens[token] ?? StoredToken(shared: false)
        }

        func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool {
            visitorLookups += 1
            return visitors[token]?.contains(visitor) ?? false
        }

        func source(_ source: String) throws -> SourceState? { sources[source] }
    }

    /// A store whose every read fails.
    struct BrokenStore: EngineReader {
        struct Broken: Error {}
        func token(_ token: String) throws -> StoredToken { throw Broken() }
        func hasVisitor(_ visitor: UInt64, of token: String) throws -> Bool { throw Broken() }
        func source(_ source: String) throws -> SourceState? { throw Broken() }
    }

    static let now: Int64 = 1_795_800_000  // 2026-11-27T...
    static let hour = now.hourBucket

    static func share(_ token: String, followers: Int = 800, at time: Int64? = nil, origin: Origin? = nil) -> Event {
        Event(token: token, kind: .share(ShareAttributes(advocate: "ann", venue: "cafe", campaign: nil,
                                                          network: "instagram", followers: followers)),
              origin: origin, time: time)
    }

    static func click(_ token: String, visitor: String? = nil, bot: Bool = false, at time: Int64? = nil,
                      origin: Origin? = nil) -> Event {
        Event(token: token, kind: .click(visitor: visitor.map(TestSupport.visitor), bot: bot), origin: origin, time: time)
    }

    static func engine(ackOnCommit: Bool = true, cacheCapacity: Int = 1000, maxPendingRows: Int = 1000,
                       sourceCapacity: Int = 1000) -> Engine {
        Engine(configuration: .init(ackOnCommit: ackOnCommit, maxPendingRows: maxPendingRows, cacheCapacity: cacheCapacity,
                                    sourceCapacity: sourceCapacity),
               committedGeneration: 0)
    }

    @Test("a share counts shares and reach in its hour, with its tier")
    func shareCountsReach() {
        var engine = Self.engine()
        let store = FakeStore()
        let reply = engine.apply(Self.share("t1", followers: 4200), now: Self.now, reader: store)
        #expect(reply == Engine.Reply(outcome: .accepted, waitFor: 1))
        let counters = engine.pending.counters[CounterKey(token: "t1", hour: Self.hour)]
        #expect(counters?.shares == 1)
        #expect(counters?.reach == 4200)
        #expect(engine.pending.shares.map(\.tier) == [.micro])
    }

    @Test("clicks: unique per visitor over the share's life, no visitor counts as unique, bots apart")
    func uniqueClicks() {
        var engine = Self.engine()
        let store = FakeStore()
        store.tokens["t1"] = StoredToken(shared: true, visitors: [visitor("old")])
        let earlier = Self.now - 7200
        for event in [Self.click("t1", visitor: "v1", at: earlier), Self.click("t1", visitor: "v1"),
                      Self.click("t1", visitor: "old"), Self.click("t1"), Self.click("t1"),
                      Self.click("t1", visitor: "v2", bot: true), Self.click("t1", visitor: "v2")] {
            #expect(engine.apply(event, now: Self.now, reader: store).outcome == .accepted)
        }
        let before = engine.pending.counters[CounterKey(token: "t1", hour: earlier.hourBucket)]
        let current = engine.pending.counters[CounterKey(token: "t1", hour: Self.hour)]
        #expect(before?.clicks == 1 && before?.uniqueClicks == 1)  // v1's first click, in its own hour
        #expect(current?.clicks == 5)
        #expect(current?.uniqueClicks == 3)  // two without visitor, v2 (its bot click did not count)
        #expect(current?.botClicks == 1)
        #expect(engine.pending.visitors.map(\.visitor) == [visitor("v1"), visitor("v2")])
        #expect(engine.pending.visitors.map(\.hour) == [earlier.hourBucket, Self.hour])
        #expect(store.loads == 1)
    }

    @Test("a click on an unknown share is an orphan; its later share is not a duplicate")
    func orphans() {
        var engine = Self.engine()
        let store = FakeStore()
        #expect(engine.apply(Self.click("later", visitor: "v"), now: Self.now, reader: store).outcome == .accepted)
        #expect(engine.totals.orphans == 1)
        #expect(engine.apply(Self.share("later"), now: Self.now, reader: store).outcome == .accepted)
        #expect(engine.apply(Self.click("later", visitor: "v"), now: Self.now, reader: store).outcome == .accepted)
        #expect(engine.totals.orphans == 1)
        #expect(engine.pending.counters[CounterKey(token: "later", hour: Self.hour)]?.uniqueClicks == 1)
    }

    @Test("a known share token is a duplicate that counts nothing, also when only the database knows it")
    func duplicateShares() {
        var engine = Self.engine()
        let store = FakeStore()
        store.tokens["stored"] = StoredToken(shared: true)
        #expect(engine.apply(Self.share("stored"), now: Self.now, reader: store).outcome == .duplicate)
        #expect(engine.apply(Self.share("new"), now: Self.now, reader: store).outcome == .accepted)
        #expect(engine.apply(Self.share("new", followers: 9), now: Self.now, reader: store).outcome == .duplicate)
        #expect(engine.pending.counters.values.map(\.reach) == [800])
        #expect(engine.totals.duplicates == 2)
    }

    @Test("seq at or below the source's highest is a duplicate; gaps are fine; committed ones answer at once")
    func sequenceNumbers() {
        var committed = SourceState()
        committed.highestSeq = 10
        var engine = Self.engine()
        let store = FakeStore()
        store.sources["k"] = committed
        func send(_ seq: UInt64) -> Engine.Reply {
            engine.apply(Self.click("t", origin: Origin(source: "k", seq: seq)), now: Self.now, reader: store)
        }
        #expect(send(10) == Engine.Reply(outcome: .duplicate, waitFor: 0))  // committed before: no wait
        #expect(send(15) == Engine.Reply(outcome: .accepted, waitFor: 1))
        #expect(send(12) == Engine.Reply(outcome: .duplicate, waitFor: 1))  // original not committed yet
        #expect(send(16) == Engine.Reply(outcome: .accepted, waitFor: 1))
        #expect(engine.activeSource("k")?.highestSeq == 16)
        #expect(engine.activeSource("k")?.duplicates == 2)
        #expect(engine.pending.counters.values.map(\.clicks) == [2])
    }

    @Test("ack: receive never waits for a commit")
    func receiveMode() {
        var engine = Self.engine(ackOnCommit: false)
        let store = FakeStore()
        #expect(engine.apply(Self.share("t"), now: Self.now, reader: store).waitFor == 0)
    }

    @Test("a rejection changes no counter but is charged to its source, if that is a producer already")
    func rejections() {
        var engine = Self.engine()
        let store = FakeStore()
        store.sources["k"] = SourceState()
        let reply = engine.reject(Rejection(.badField, "field 'followers' ...", source: "k"), now: Self.now, reader: store)
        #expect(reply.outcome == .rejected(Rejection(.badField, "field 'followers' ...", source: "k")))
        #expect(engine.pending.counters.isEmpty)
        #expect(engine.activeSource("k")?.rejected == 1)
        #expect(engine.pending.sources["k"]?.rejected == 1)
        #expect(engine.totals.rejected[.badField] == 1)
    }

    @Test("a rejected line with a source never seen makes no source state")
    func rejectionMakesNoSource() {
        var engine = Self.engine()
        let store = FakeStore()
        for index in 0..<1000 {
            _ = engine.reject(Rejection(.missingField, "missing field 'seq'", source: "made-up-\(index)"), now: Self.now,
                              reader: store)
        }
        #expect(engine.cachedSources == 0)
        #expect(engine.pending.sources.isEmpty)
        #expect(engine.pending.isEmpty)
        #expect(engine.totals.rejected[.missingField] == 1000)
    }

    @Test("a rejected line with a source never seen and a valid seq makes its producer, which later lines continue")
    func rejectionWithSeqMakesSource() {
        var engine = Self.engine()
        let store = FakeStore()
        var rejection = Rejection(.badField, "field 'followers' ...", source: "kiosk")
        rejection.makesProducer = true
        _ = engine.reject(rejection, now: Self.now, reader: store)
        #expect(engine.pending.sources["kiosk"]?.rejected == 1 && engine.pending.sources["kiosk"]?.highestSeq == 0)
        _ = engine.reject(Rejection(.missingField, "missing field 'seq'", source: "kiosk"), now: Self.now, reader: store)
        #expect(engine.pending.sources["kiosk"]?.rejected == 2)
    }

    @Test("over the pending bound new events are overloaded and count nothing")
    func overload() {
        var engine = Self.engine(maxPendingRows: 2)
        let store = FakeStore()
        #expect(engine.apply(Self.click("a"), now: Self.now, reader: store).outcome == .accepted)
        #expect(engine.apply(Self.click("b"), now: Self.now, reader: store).outcome == .accepted)
        guard case .rejected(let rejection) = engine.apply(Self.click("c"), now: Self.now, reader: store).outcome else {
            Issue.record("expected overloaded")
            return
        }
        #expect(rejection.code == .overloaded)
        #expect(engine.pendingKeys == 2)
    }

    @Test("a store that cannot be read gives overloaded, not a wrong answer")
    func unreadableStore() {
        var engine = Self.engine()
        let reply = engine.apply(Self.click("t"), now: Self.now, reader: BrokenStore())
        guard case .rejected(let rejection) = reply.outcome else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.code == .overloaded)
        #expect(engine.pending.counters.isEmpty)
    }

    @Test("flush hands out one batch at a time, retries a failed one, keeps it until applied")
    func flushCycle() {
        var engine = Self.engine()
        let store = FakeStore()
        #expect(engine.beginFlush() == nil)
        _ = engine.apply(Self.click("a"), now: Self.now, reader: store)
        let first = engine.beginFlush()
        #expect(first?.generation == 1)
        _ = engine.apply(Self.click("b"), now: Self.now, reader: store)
        #expect(engine.beginFlush()?.generation == 1)  // not committed yet: the same batch again
        #expect(engine.nextToApply == nil)
        engine.finishFlush(1)
        #expect(engine.committedGeneration == 1)
        #expect(engine.pendingEvents == 1)  // "b" only: "a" is durable
        #expect(engine.nextToApply?.generation == 1)
        #expect(engine.unapplied.map(\.generation) == [1, 2])
        let second = engine.beginFlush()
        #expect(second?.generation == 2)
        #expect(second?.counters.keys.map(\.token) == ["b"])
        engine.finishApply(2)  // not the oldest: ignored
        #expect(engine.nextToApply?.generation == 1)
        engine.finishApply(1)
        #expect(engine.nextToApply == nil)
        #expect(engine.unapplied.map(\.generation) == [2, 3])
    }

    @Test("retention: whether a batch not applied yet, journaled or pending, holds a visitor pair of a click before a time")
    func unappliedVisitorPairsBefore() {
        var engine = Self.engine()
        let store = FakeStore()
        _ = engine.apply(Self.click("a", visitor: "old", at: Self.now - 7200), now: Self.now, reader: store)
        _ = engine.apply(Self.click("a"), now: Self.now, reader: store)  // no visitor: no pair
        #expect(engine.unappliedHoldVisitors(before: Self.now - 7200 + 1))
        #expect(!engine.unappliedHoldVisitors(before: Self.now - 7200))
        _ = engine.beginFlush()
        #expect(engine.unappliedHoldVisitors(before: Self.now - 7200 + 1))  // in flight
        engine.finishFlush(1)
        _ = engine.apply(Self.click("b", visitor: "new"), now: Self.now, reader: store)
        #expect(engine.unappliedHoldVisitors(before: Self.now - 7200 + 1))  // journaled
        engine.finishApply(1)
        #expect(!engine.unappliedHoldVisitors(before: Self.now - 7200 + 1))
        #expect(engine.unappliedHoldVisitors(before: Self.now + 1))  // the pending one's pair
    }

    @Test("while applying lags, the token cache keeps every token of a batch not applied yet")
    func cacheKeepsTokensOfUnappliedBatches() {
        var engine = Self.engine(cacheCapacity: 4)  // rotates once 2 tokens are hot
        let store = FakeStore()
        for token in ["t1", "t2"] {
            _ = engine.apply(Self.click(token), now: Self.now, reader: store)
            if let batch = engine.beginFlush() { engine.finishFlush(batch.generation) }
        }
        // Batch 3 sees visitor v on "x" before the cache rotates (applying batch 1)...
        _ = engine.apply(Self.click("x", visitor: "v"), now: Self.now, reader: store)
        engine.finishApply(1)
        _ = engine.apply(Self.click("a"), now: Self.now, reader: store)
        _ = engine.apply(Self.click("b"), now: Self.now, reader: store)
        // ...and batch 3 is still unapplied when batch 2 is: "x" (now cold) must not be dropped,
        // or v would load from the store as a new visitor.
        engine.finishApply(2)
        _ = engine.apply(Self.click("x", visitor: "v"), now: Self.now, reader: store)
        #expect(engine.pending.counters[CounterKey(token: "x", hour: Self.hour)]?.clicks == 2)
        #expect(engine.pending.counters[CounterKey(token: "x", hour: Self.hour)]?.uniqueClicks == 1)
    }

    @Test("the token cache stays bounded and never forgets a visitor the database has not got yet")
    func cacheBound() {
        var engine = Self.engine(cacheCapacity: 100)
        let store = FakeStore()
        for round in 0..<20 {
            for index in 0..<50 {
                _ = engine.apply(Self.click("t\(round)-\(index)", visitor: "v"), now: Self.now, reader: store)
            }
            // Commit and apply what the batch holds, as the flush would.
            if let batch = engine.beginFlush() {
                engine.finishFlush(batch.generation)
                for pair in batch.visitors { store.tokens[pair.token] = StoredToken(shared: false, visitors: [pair.visitor]) }
                engine.finishApply(batch.generation)
            }
            #expect(engine.cachedTokens <= 150)
        }
        // A visitor seen long ago (evicted, then reloaded from the store) is still not unique.
        _ = engine.apply(Self.click("t0-0", visitor: "v"), now: Self.now, reader: store)
        #expect(engine.pending.counters[CounterKey(token: "t0-0", hour: Self.hour)]?.uniqueClicks == 0)
    }
}

@Suite("Tiers and hours")
struct TierTests {
    @Test("default bounds from the micro-influencer research", arguments: [
        (0, Tier.nano), (999, .nano), (1000, .micro), (5000, .micro), (5001, .mid), (100_000, .mid),
        (100_001, .macro), (1_000_000, .macro), (1_000_001, .mega),
    ])
    func defaultTiers(followers: Int, tier: Tier) {
        #expect(TierBounds.default.tier(forFollowers: followers) == tier)
    }

    @Test("tier_bounds parse four increasing numbers, nothing else", arguments: [
        ("10,20,30,40", true), ("999, 5000, 100000, 1000000", true), ("1,2,3", false), ("4,3,2,1", false),
        ("1,1,2,3", false), ("a,b,c,d", false), ("-1,2,3,4", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((TierBounds(parsing: text) != nil) == valid)
    }

    @Test("hour buckets round down, before the epoch too")
    func hourBuckets() {
        #expect(Int64(0).hourBucket == 0)
        #expect(Int64(3599).hourBucket == 0)
        #expect(Int64(3600).hourBucket == 1)
        #expect(Int64(-1).hourBucket == -1)
    }
}

@Suite("Settings")
struct SettingsTests {
    @Test("the highest layer wins, key by key")
    func precedence() throws {
        let settings = try Settings(layers: [
            (.flag, [.flushInterval: "0.5"]),
            (.environment, [.flushInterval: "2", .ack: "receive"]),
            (.file("/etc/x.yaml"), [.ack: "commit", .maxConnections: "10"]),
        ])
        #expect(settings.flushInterval == 0.5)
        #expect(settings.ackOnCommit == false)
        #expect(settings.maxConnections == 10)
        #expect(settings.maxLineBytes == 65536)
    }

    @Test("a bad value names the key, the value and where it came from")
    func errors() {
        #expect(throws: SettingsError.self) { try Settings(layers: [(.environment, [.ack: "maybe"])]) }
        do {
            _ = try Settings(layers: [(.file("/etc/s.yaml"), [.socketMode: "rw"])])
        } catch {
            #expect(error.description.contains("socket_mode"))
            #expect(error.description.contains("/etc/s.yaml"))
            #expect(error.description.contains("'rw'"))
        }
    }

    @Test("names: SHARETRACK_<KEY> and --<key-with-dashes>")
    func names() {
        #expect(Settings.Key.maxLineBytes.environmentName == "SHARETRACK_MAX_LINE_BYTES")
        #expect(Settings.Key.maxLineBytes.flagName == "--max-line-bytes")
    }
}
