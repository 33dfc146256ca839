import Testing
import TestSupport

@testable import ShareTrackStore

/// `Store.keyOrder`: the order in which the apply writes a batch's rows, by the first 4 bytes of
/// each token and then the hour.
@Suite struct KeyOrderTests {
    @Test(arguments: [0, 1, 2, 5_000], [false, true])
    func rowsComeInTokenPrefixThenHourOrder(rowCount: Int, hoursOverAllInt64: Bool) {
        var random = SplitMix(seed: UInt64(rowCount) * 2 + (hoursOverAllInt64 ? 1 : 0))
        let letters = Array("abcdXYZ0189-_é")
        let hours: ClosedRange<Int64> = hoursOverAllInt64 ? Int64.min...Int64.max : 480_000...480_200
        // Tokens of 1-9 characters: shorter than 4 bytes, they come as if padded with zero bytes.
        let rows: [(String, Int64)] = (0..<rowCount).map { _ in
            (String((0..<Int.random(in: 1...9, using: &random)).map { _ in letters.randomElement(using: &random)! }),
             Int64.random(in: hours, using: &random))
        }
        func prefix(_ token: String) -> [UInt8] { Array((Array(token.utf8) + [0, 0, 0, 0]).prefix(4)) }
        let order = Store.keyOrder(rows, by: { $0 })
        #expect(order.sorted() == Array(rows.indices))
        let pairs = zip(order, order.dropFirst()).map { (rows[$0], rows[$1]) }
        if hoursOverAllInt64 {
            // The hours' span takes all 64 bits: the rows come in hour order alone.
            #expect(pairs.allSatisfy { $0.1 <= $1.1 })
        } else {
            #expect(pairs.allSatisfy { !prefix($1.0).lexicographicallyPrecedes(prefix($0.0)) })
            #expect(pairs.allSatisfy { prefix($0.0) != prefix($1.0) || $0.1 <= $1.1 })
        }
    }
}
