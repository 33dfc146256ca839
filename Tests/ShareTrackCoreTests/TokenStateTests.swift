import Testing
import TestSupport
@testable import ShareTrackCore

/// A token state's visitors: in place for the first two, then in a hash table that grows.
@Suite("Token state")
struct TokenStateTests {
    @Test("every visitor is new once, at every size from in place to a table grown many times",
          arguments: [0, 1, 2, 3, 4, 5, 9, 100, 5_000])
    func uniqueAtEverySize(visitors: Int) {
        var state = TokenState(shared: false)
        for index in 0..<visitors {
            let new = state.visitors.insert(visitor("v\(index)"))
            #expect(new, "v\(index) of \(visitors)")
            #expect(state.visitors.count == index + 1)
        }
        for index in 0..<visitors {
            let new = state.visitors.insert(visitor("v\(index)"))
            #expect(!new, "v\(index) again, of \(visitors)")
        }
        #expect(state.visitors.count == visitors)
        let another = state.visitors.insert(visitor("another"))
        #expect(another)
    }

    @Test("a state built from stored visitors counts each once")
    func initialVisitors() {
        var state = TokenState(shared: true, visitors: ["a", "b", "a", "c", "d", "b"].map(visitor))
        #expect(state.shared)
        #expect(state.visitors.count == 4)
        let (d, e) = (state.visitors.insert(visitor("d")), state.visitors.insert(visitor("e")))
        #expect(!d)
        #expect(e)
    }

    @Test("a copy is independent of the state it was copied from")
    func copiesAreIndependent() {
        let original = TokenState(shared: false, visitors: (0..<10).map { visitor("v\($0)") })
        var copy = original
        let added = (10..<20).filter { copy.visitors.insert(visitor("v\($0)")) }
        #expect(added.count == 10)
        var again = original
        #expect(again.visitors.count == 10)
        let (v15, v5) = (again.visitors.insert(visitor("v15")), again.visitors.insert(visitor("v5")))
        #expect(v15)
        #expect(!v5)
    }

    @Test("a state stays small: the token cache holds one per token")
    func stateIsSmall() {
        #expect(MemoryLayout<TokenState>.stride <= 32)
    }
}
