/// Follower tiers, from the micro-influencer research: small audiences engage more.
public enum Tier: String, Sendable, CaseIterable, Codable, Comparable {
    case nano, micro, mid, macro, mega

    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Upper follower bounds of `nano`, `micro`, `mid` and `macro`; above the last is `mega`.
public struct TierBounds: Sendable, Equatable, CustomStringConvertible {
    public static let `default` = TierBounds(unchecked: [999, 5000, 100_000, 1_000_000])

    public let upperBounds: [Int]

    private init(unchecked bounds: [Int]) {
        upperBounds = bounds
    }

    /// Parses `999,5000,100000,1000000`: four strictly increasing non-negative integers.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: " ")) }
        guard parts.count == 4, let bounds = parts as? [Int], bounds[0] >= 0,
              zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        upperBounds = bounds
    }

    public func tier(forFollowers followers: Int) -> Tier {
        for (index, bound) in upperBounds.enumerated() where followers <= bound {
            return Tier.allCases[index]
        }
        return .mega
    }

    public var description: String {
        upperBounds.map(String.init).joined(separator: ",")
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var slice = self[...]
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return Substring(slice)
    }
}
