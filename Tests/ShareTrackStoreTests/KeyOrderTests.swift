import Testing

@testable import ShareTrackStore

/// `Store.keyOrder`: the order in which the apply writes a batch's rows, by the first 4 bytes of
/// each token and then the hour.
@Suite struct KeyOrderTests {
    @Test(arguments: [0, 1, 2, 300, 5_000])
    func rowsComeInTokenPrefixThenHourOrder(rowCount: Int) {
        var random = RollupTests.Random(state: UInt64(rowCount) + 7)
        let letters = Array("abcdXYZ0189-_é")
        // Tokens of 1-9 characters (short ones pad with zero bytes) over a narrow or a wide range of hours.
        let hourRange: ClosedRange<Int64> = rowCount == 300 ? Int64.min...Int64.max : 480_000...480_200
        let rows: [(String, Int64)] = (0..<rowCount).map { _ in
            (String((0..<Int.random(in: 1...9, using: &random)).map { _ in letters.randomElement(using: &random)! }),
             Int64.random(in: hourRange, using: &random))
        }
        let order = Store.keyOrder(rows, by: { $0 })
        #expect(order.sorted() == Array(rows.indices))
        func prefix(_ token: String) -> [UInt8] { Array(token.utf8.prefix(4)) + Array(repeating: 0, count: max(0, 4 - token.utf8.count)) }
        // With hours spread over all of Int64, the hour takes every bit and the tokens are left in any order.
        let sortedByPrefix = rowCount == 300 || zip(order, order.dropFirst()).allSatisfy { !prefix(rows[$1].0).lexicographicallyPrecedes(prefix(rows[$0].0)) }
        #expect(sortedByPrefix)
        #expect(zip(order, order.dropFirst()).allSatisfy { prefix(rows[$0].0) != prefix(rows[$1].0) || rows[$0].1 <= rows[$1].1 })
    }
}
