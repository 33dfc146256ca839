import Testing
import TestSupport
@testable import ShareTrackCore

/// A token state's visitors: in place for the first two, then in a table of the cache's
/// `VisitorTables` that grows.
@Suite("Token state")
struct TokenStateTests {
    @Test("every visitor is new once, at every size from in place to a table grown many times",
          arguments: [0, 1, 2, 3, 4, 5, 9, 100, 5_000])
    func uniqueAtEverySize(visitors: Int) {
        var tables = VisitorTables()
        var state = TokenState(StoredToken(shared: false), in: &tables)
        for index in 0..<visitors {
            let new = state.visitors.insert(visitor("v\(index)"), in: &tables)
            #expect(new, "v\(index) of \(visitors)")
            #expect(state.visitors.count(in: tables) == index + 1)
        }
        for index in 0..<visitors {
            let new = state.visitors.insert(visitor("v\(index)"), in: &tables)
            #expect(!new, "v\(index) again, of \(visitors)")
        }
        #expect(state.visitors.count(in: tables) == visitors)
        let another = state.visitors.insert(visitor("another"), in: &tables)
        #expect(another)
    }

    @Test("a state built from stored visitors counts each once")
    func initialVisitors() {
        var tables = VisitorTables()
        var state = TokenState(StoredToken(shared: true, visitors: ["a", "b", "a", "c", "d", "b"].map(visitor)), in: &tables)
        #expect(state.shared)
        #expect(state.visitors.count(in: tables) == 4)
        let (d, e) = (state.visitors.insert(visitor("d"), in: &tables), state.visitors.insert(visitor("e"), in: &tables))
        #expect(!d)
        #expect(e)
    }

    @Test("states sharing the tables keep their own visitors, whatever the others' tables do")
    func statesApart() {
        var tables = VisitorTables()
        var states = (0..<50).map { _ in TokenState(StoredToken(shared: false), in: &tables) }
        // Interleaved, so that every table grows past the others' and moves.
        for round in 0..<40 {
            for index in states.indices where round < index {
                let new = states[index].visitors.insert(visitor("s\(index)-v\(round)"), in: &tables)
                #expect(new)
            }
        }
        for index in states.indices {
            #expect(states[index].visitors.count(in: tables) == min(index, 40))
            #expect(states[index].visitors.contains(max(1, visitor("s\(index)-v0")), in: tables) == (index > 0))
            #expect(!states[index].visitors.contains(max(1, visitor("s\((index + 1) % 50)-v0")), in: tables))
        }
    }

    @Test("a state stays small: the token cache holds one per token")
    func stateIsSmall() {
        #expect(MemoryLayout<TokenState>.stride <= 24)
    }
}
