import Testing
import TestSupport
@testable import ShareTrackCore

/// Producers in the engine: bounded in memory, read from the store on demand, and reset exactly.
@Suite("Engine sources")
struct EngineSourcesTests {
    typealias FakeStore = EngineTests.FakeStore
    static let now = EngineTests.now

    static func click(_ token: String, visitor: String? = nil, source: String = "k", seq: UInt64) -> Event {
        EngineTests.click(token, visitor: visitor, origin: Origin(source: source, seq: seq))
    }

    /// Journals and applies the pending batch, as the flusher would, into `store`.
    static func commit(_ engine: inout Engine, into store: FakeStore) {
        guard let batch = engine.beginFlush() else { return }
        engine.finishFlush(batch.generation)
        store.sources.merge(batch.sources) { $1 }
        for pair in batch.visitors { store.visitors[pair.token, default: []].insert(pair.visitor) }
        engine.finishApply(batch.generation)
    }

    @Test("only active producers are in memory; one evicted is read back with its seq")
    func sourcesAreBounded() {
        var engine = EngineTests.engine(sourceCapacity: 100)
        let store = FakeStore()
        for round in 0..<40 {
            for index in 0..<50 {
                _ = engine.apply(Self.click("t", source: "k\(round)-\(index)", seq: 5), now: Self.now, reader: store)
            }
            Self.commit(&engine, into: store)
            #expect(engine.cachedSources <= 150)
        }
        #expect(store.sources.count == 2000)
        #expect(engine.activeSource("k0-0") == nil)
        let again = engine.apply(Self.click("t", source: "k0-0", seq: 5), now: Self.now, reader: store)
        #expect(again == Engine.Reply(outcome: .duplicate, waitFor: 0))
        #expect(engine.apply(Self.click("t", source: "k0-0", seq: 6), now: Self.now, reader: store).outcome == .accepted)
    }

    @Test("reset-source: the next seq 1 is new; batches before the reset keep their order")
    func resetSource() throws {
        var engine = EngineTests.engine()
        let store = FakeStore()
        #expect(try engine.resetSource("k", reader: store) == nil)  // never seen
        for seq: UInt64 in 1...5 { _ = engine.apply(Self.click("t", seq: seq), now: Self.now, reader: store) }
        // Seqs 1-5 are in flight (being journaled) when the reset comes.
        guard let inFlight = engine.beginFlush() else {
            Issue.record("nothing to flush")
            return
        }
        _ = engine.apply(Self.click("t", seq: 6), now: Self.now, reader: store)
        #expect(try engine.resetSource("k", reader: store) == 6)
        #expect(engine.pending.sources["k"]?.highestSeq == 0)
        #expect(engine.apply(Self.click("t", seq: 1), now: Self.now, reader: store) == .init(outcome: .accepted, waitFor: 2))
        engine.finishFlush(inFlight.generation)
        // The in-flight batch's commit (seq 5) says nothing of the new seq 1: its duplicate still waits.
        #expect(engine.apply(Self.click("t", seq: 1), now: Self.now, reader: store) == .init(outcome: .duplicate, waitFor: 2))
        store.sources.merge(inFlight.sources) { $1 }
        engine.finishApply(inFlight.generation)
        Self.commit(&engine, into: store)
        // Applied in order, the store holds the reset seq and the one line after it.
        #expect(store.sources["k"]?.highestSeq == 1)
        #expect(store.sources["k"]?.accepted == 7)
        #expect(engine.apply(Self.click("t", seq: 1), now: Self.now, reader: store) == .init(outcome: .duplicate, waitFor: 0))
    }

    @Test("reset-source reads a producer that is not in memory from the store")
    func resetStoredSource() throws {
        var engine = EngineTests.engine()
        let store = FakeStore()
        var stored = SourceState()
        stored.highestSeq = 1 << 53
        store.sources["k"] = stored
        #expect(try engine.resetSource("k", reader: store) == 1 << 53)
        #expect(engine.apply(Self.click("t", seq: 1), now: Self.now, reader: store).outcome == .accepted)
    }

    @Test("a read's lines leave each producer's state as of its last line in the pending batch")
    func producerStatesOfARead() {
        var engine = EngineTests.engine()
        let store = FakeStore()
        let lines: [Result<Event, Rejection>] = [
            .success(Self.click("t", source: "a", seq: 1)),
            .success(Self.click("t", source: "a", seq: 2)),
            .success(Self.click("t", source: "b", seq: 7)),
            .failure(Rejection(.badField, "field 'followers' ...", source: "a")),
            .success(Self.click("t", source: "a", seq: 2)),
            .success(Self.click("t", source: "b", seq: 8)),
            .success(Self.click("t", source: "a", seq: 3)),
        ]
        var replies: [Engine.Reply] = []
        engine.apply(lines, now: Self.now, refusing: nil, reader: store) { replies.append($0) }
        #expect(replies.map(\.outcome) == [.accepted, .accepted, .accepted, .rejected(Rejection(.badField, "field 'followers' ...", source: "a")),
                                           .duplicate, .accepted, .accepted])
        let a = engine.pending.sources["a"], b = engine.pending.sources["b"]
        #expect(a?.highestSeq == 3 && a?.accepted == 3 && a?.duplicates == 1 && a?.rejected == 1)
        #expect(b?.highestSeq == 8 && b?.accepted == 2)
        // Refused (the daemon is stopping): counted against the producer, nothing accepted.
        engine.apply([.success(Self.click("t", source: "a", seq: 4))], now: Self.now, refusing: "stopping", reader: store) {
            #expect($0.outcome == .rejected(Rejection(.overloaded, "stopping", source: "a")))
        }
        #expect(engine.pending.sources["a"]?.highestSeq == 3)
        #expect(engine.pending.sources["a"]?.rejected == 2)
    }

    @Test("a token with more visitors than a load reads asks the store about each new visitor, once")
    func incompleteVisitors() {
        var engine = EngineTests.engine()
        let store = FakeStore()
        store.tokens["big"] = StoredToken(shared: true, visitors: [visitor("v0")], complete: false)
        store.visitors["big"] = Set(["v0", "v1", "v2"].map(visitor))
        for visitor in ["v0", "v1", "v1", "new", "new"] {
            _ = engine.apply(EngineTests.click("big", visitor: visitor), now: Self.now, reader: store)
        }
        #expect(engine.pending.visitors.count == 1)
        #expect(engine.pending.counters[CounterKey(token: "big", hour: EngineTests.hour)]?.uniqueClicks == 1)
        #expect(engine.pending.counters[CounterKey(token: "big", hour: EngineTests.hour)]?.clicks == 5)
        #expect(store.visitorLookups == 2)  // v1 and "new"; v0 was loaded, the repeats are in memory
    }
}
