import ShareTrackCore
import TestSupport
import Testing

/// The engine's bound on uncommitted work, and exactly-once when it answers `overloaded`.
@Suite("Engine bounds")
struct EngineBoundsTests {
    static let now: Int64 = 1_800_000_000

    static func engine(maxRows: Int) -> Engine {
        Engine(configuration: .init(maxPendingRows: maxRows), committedGeneration: 0)
    }

    static func click(_ token: String, visitor: String? = nil, seq: UInt64? = nil, test: Bool = false) -> Event {
        Event(token: token, kind: .click(visitor: visitor.map(TestSupport.visitor), bot: false),
              origin: seq.map { Origin(source: "redir", seq: $0) }, time: now, test: test)
    }

    /// A store in which every token is shared and no producer was seen.
    struct SharedTokens: EngineReader {
        func token(_ token: String) -> StoredToken { StoredToken(shared: true) }
        func hasVisitor(_ visitor: UInt64, of token: String) -> Bool { false }
        func source(_ source: String) -> SourceState? { nil }
    }

    static let reader = SharedTokens()

    static func isOverloaded(_ reply: Engine.Reply) -> Bool {
        if case .rejected(let rejection) = reply.outcome { return rejection.code == .overloaded }
        return false
    }

    /// Commits and applies whatever is pending, as the flusher would.
    static func commit(_ engine: inout Engine) {
        while let batch = engine.beginFlush() {
            engine.finishFlush(batch.generation)
            engine.finishApply(batch.generation)
        }
    }

    @Test("new counter rows beyond the bound are refused overloaded, and accepted again after a commit")
    func counterRowsAreBounded() {
        var engine = Self.engine(maxRows: 3)
        for index in 0..<3 {
            #expect(engine.apply(Self.click("t\(index)"), now: Self.now, reader: Self.reader).outcome == .accepted)
        }
        let refused = engine.apply(Self.click("t3"), now: Self.now, reader: Self.reader)
        #expect(Self.isOverloaded(refused))
        #expect(engine.pendingRows == 3)
        // Durable is not enough: the rows are held in memory until the tables have them.
        if let batch = engine.beginFlush() { engine.finishFlush(batch.generation) }
        #expect(Self.isOverloaded(engine.apply(Self.click("t3"), now: Self.now, reader: Self.reader)))
        engine.finishApply(1)
        #expect(engine.pendingRows == 0)
        #expect(engine.apply(Self.click("t3"), now: Self.now, reader: Self.reader).outcome == .accepted)
    }

    @Test("visitor pairs count against the bound: one share's many new visitors cannot grow memory without end")
    func visitorPairsAreBounded() {
        var engine = Self.engine(maxRows: 100)
        var accepted = 0
        for index in 0..<1000 {
            let reply = engine.apply(Self.click("viral", visitor: "v\(index)"), now: Self.now, reader: Self.reader)
            if reply.outcome == .accepted { accepted += 1 } else { #expect(Self.isOverloaded(reply)) }
        }
        #expect(accepted < 100)
        #expect(engine.pendingRows <= 100)
    }

    @Test("after overloaded at seq N, later seqs of that source are refused until N is sent again")
    func overloadedSeqIsNotOvertaken() {
        var engine = Self.engine(maxRows: 2)
        #expect(engine.apply(Self.click("a", seq: 1), now: Self.now, reader: Self.reader).outcome == .accepted)
        #expect(engine.apply(Self.click("b", seq: 2), now: Self.now, reader: Self.reader).outcome == .accepted)
        // Seq 3 is refused; the producer had already pipelined seq 4, which arrives after a commit.
        #expect(Self.isOverloaded(engine.apply(Self.click("c", seq: 3), now: Self.now, reader: Self.reader)))
        Self.commit(&engine)
        let overtaking = engine.apply(Self.click("d", seq: 4), now: Self.now, reader: Self.reader)
        #expect(Self.isOverloaded(overtaking), "seq 4 accepted before seq 3: the retry of 3 would be a duplicate")
        // The producer retries 3 then 4, in order: both are counted.
        #expect(engine.apply(Self.click("c", seq: 3), now: Self.now, reader: Self.reader).outcome == .accepted)
        #expect(engine.apply(Self.click("d", seq: 4), now: Self.now, reader: Self.reader).outcome == .accepted)
        Self.commit(&engine)
        #expect(engine.activeSource("redir")?.highestSeq == 4)
        #expect(engine.activeSource("redir")?.accepted == 4)
        // Other sources and lines without a source are not held back.
        #expect(engine.apply(Self.click("e"), now: Self.now, reader: Self.reader).outcome == .accepted)
    }

    @Test("a test event gets the overloaded a real one would, and its refusal holds back no seq")
    func testEventsAreRefusedLikeRealOnes() {
        var engine = Self.engine(maxRows: 1)
        #expect(engine.apply(Self.click("a", seq: 1), now: Self.now, reader: Self.reader).outcome == .accepted)
        // Over the bound a test line is refused as a real one would be...
        #expect(Self.isOverloaded(engine.apply(Self.click("b", seq: 2, test: true), now: Self.now, reader: Self.reader)))
        Self.commit(&engine)
        // ...but its seq is no place in the source's sequence: seq 3 need not wait for it.
        #expect(engine.apply(Self.click("b", seq: 3), now: Self.now, reader: Self.reader).outcome == .accepted)
        #expect(Self.isOverloaded(engine.apply(Self.click("c", seq: 4), now: Self.now, reader: Self.reader)))
        Self.commit(&engine)
        // After a real refusal at seq 4, a test line past it is refused as seq 5 would be; at 4 it is not.
        #expect(Self.isOverloaded(engine.apply(Self.click("d", seq: 5, test: true), now: Self.now, reader: Self.reader)))
        #expect(engine.apply(Self.click("c", seq: 4, test: true), now: Self.now, reader: Self.reader).outcome == .test)
        // The test line at 4 did not stand for the real one: seq 5 still waits for it.
        #expect(Self.isOverloaded(engine.apply(Self.click("d", seq: 5), now: Self.now, reader: Self.reader)))
        #expect(engine.apply(Self.click("c", seq: 4), now: Self.now, reader: Self.reader).outcome == .accepted)
        Self.commit(&engine)
        #expect(engine.apply(Self.click("d", seq: 5), now: Self.now, reader: Self.reader).outcome == .accepted)
        #expect(engine.totals.test == 1)
        #expect(engine.activeSource("redir")?.test == 1)
        #expect(engine.activeSource("redir")?.accepted == 4)
    }
}
