/// What attribution needs to know of one share token: whether its share is known, and which
/// visitors have clicked it (for exact unique clicks over the share's whole life).
public struct TokenState: Sendable {
    public var shared: Bool
    var visitors: VisitorSet

    public init(shared: Bool, visitors: some Sequence<String> = []) {
        self.shared = shared
        self.visitors = VisitorSet()
        for visitor in visitors { _ = self.visitors.insert(visitor) }
    }
}

/// The visitors of one share, as 64-bit hashes: a short array while small (most shares have a
/// handful of visitors), a hash set once large (a viral share has thousands).
///
/// Two different visitors of the same share would have to collide in 64 bits to be miscounted;
/// with a few thousand visitors per share that chance is below 10^-12.
struct VisitorSet: Sendable {
    private static let smallLimit = 16
    private var small: [UInt64] = []
    private var large: Set<UInt64>?

    /// Adds a visitor; `true` if it was not there before.
    mutating func insert(_ visitor: String) -> Bool {
        let hash = UInt64(truncatingIfNeeded: visitor.hashValue)
        if large != nil { return large!.insert(hash).inserted }
        if small.contains(hash) { return false }
        if small.count < Self.smallLimit {
            small.append(hash)
        } else {
            large = Set(small + [hash])
            small = []
        }
        return true
    }

    var count: Int { large?.count ?? small.count }
}
