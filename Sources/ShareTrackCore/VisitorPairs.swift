/// A batch's visitor pairs: the tokens in one array, the visitor ids' bytes in one buffer.
///
/// A visitor id is often longer than a `String` keeps inline (15 bytes), so a `[VisitorPair]` held a
/// heap block per pair: hundreds of thousands a batch, freed only once the batch was applied, and
/// in between the token cache's long-lived blocks, whose pages they then kept resident. Here a
/// batch's visitors take three arrays, whatever their number; a `VisitorPair` is made when read.
public struct VisitorPairs: RandomAccessCollection, Sendable, Equatable {
    private var tokens: [String] = []
    private var bytes: [UInt8] = []
    /// Where each visitor id ends in `bytes` (it starts where the one before ends).
    private var ends: [Int] = []

    public var startIndex: Int { 0 }
    public var endIndex: Int { tokens.count }

    public subscript(position: Int) -> VisitorPair {
        let start = position == 0 ? 0 : ends[position - 1]
        return VisitorPair(token: tokens[position],
                           visitor: String(decoding: bytes[start..<ends[position]], as: UTF8.self))
    }

    mutating func append(_ pair: VisitorPair) {
        tokens.append(pair.token)
        var visitor = pair.visitor
        visitor.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
    }

    mutating func reserveCapacity(like other: VisitorPairs) {
        tokens.reserveCapacity(other.tokens.count)
        bytes.reserveCapacity(other.bytes.count)
        ends.reserveCapacity(other.ends.count)
    }
}
