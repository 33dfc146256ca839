import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// `sources` lists one page: the producers seen most recently, stored and live together.
@Suite struct SourcesQueryTests {
    private let now: Int64 = 1_795_810_000

    private func producer(seenSecondsAgo age: Int64, seq: UInt64 = 1) -> SourceState {
        var state = SourceState()
        state.highestSeq = seq
        state.lastSeen = now - age
        state.accepted = Int64(seq)
        return state
    }

    private func sources(_ queries: Queries, limit: Int? = nil, live: [Batch]? = nil) throws -> [SourceRow] {
        let request = ControlRequest(command: .sources, query: Query(limit: limit))
        return try #require(try queries.answer(request, live: live.map { LiveData(batches: $0) }, now: now) as? [SourceRow])
    }

    @Test func aPageOfTheMostRecentlySeenNewestFirst() throws {
        var stored = Batch(generation: 1)
        for index in 0..<500 { stored.sources["p\(index)"] = producer(seenSecondsAgo: Int64(1000 + index)) }
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: [stored])

        let page = try sources(queries)
        #expect(page.count == Queries.defaultSourcesLimit)
        #expect(page.map(\.source) == (0..<100).map { "p\($0)" })
        #expect(try sources(queries, limit: 3).map(\.source) == ["p0", "p1", "p2"])

        // Live: a stored producer seen again moves to the front, a new one appears, older ones drop off.
        var live = Batch(generation: 2)
        live.sources["p499"] = producer(seenSecondsAgo: 1, seq: 9)
        live.sources["new"] = producer(seenSecondsAgo: 2)
        let livePage = try sources(queries, limit: 4, live: [live])
        #expect(livePage.map(\.source) == ["p499", "new", "p0", "p1"])
        #expect(livePage[0].lastSeq == 9)
    }

    @Test(arguments: [0, -1, Queries.maxSourcesLimit + 1])
    func aLimitOutOfRangeIsABadRequest(limit: Int) throws {
        let queries = try TemporaryDatabase().queries()
        let error = #expect(throws: ControlError.self) {
            try queries.answer(ControlRequest(command: .sources, query: Query(limit: limit)), live: nil, now: now)
        }
        #expect(error?.error == .badRequest)
    }
}
