import ShareTrackCore
import ShareTrackShared
import ShareTrackStore
import TestSupport

/// Random batches from several nodes of one chain, as their daemons would make them: each node
/// records a token's share at most once (a token may be shared on two nodes: the store keeps the
/// first shipped), counts a visitor's first click on a share as unique only once (the same
/// visitor may click the same share through another node), and sends clicks and conversions for
/// tokens not shared yet (orphans, some attributed later by a share through another node), over
/// a dozen hours (or `hours`); now and then a node's batch leads with a `forget` (an advocate
/// renamed, to a new pseudonym or, to merge groups, to another advocate's id; or a visitor's pairs
/// deleted).
struct RandomChain {
    static let hour0: Int64 = 1_795_809_600 / 3600
    static let advocates = (0..<6).map { "a\($0)" }

    /// What one node's daemon remembers.
    private struct Node {
        var generation: UInt64 = 0
        var shared: Set<String> = []
        var pairs: Set<String> = []
    }

    private var random: SplitMix
    private var nodes: [Node]
    /// The hours the events fall in, from `hour0`.
    private let hours: Int64

    init(seed: UInt64, nodes: Int, hours: Int64 = 12) {
        random = SplitMix(seed: seed)
        self.nodes = Array(repeating: Node(), count: nodes)
        self.hours = hours
    }

    /// The next shipment: a random node and one to three of its next batches.
    mutating func nextShipment() -> (node: Int, shipment: Shipment) {
        let node = Int.random(in: 0..<nodes.count, using: &random)
        let batches = (0..<Int.random(in: 1...3, using: &random)).map { index in
            nextBatch(of: node, mayErase: index == 0)
        }
        return (node, Shipment(batches, batchTime: Self.hour0 * 3600))
    }

    private mutating func nextBatch(of index: Int, mayErase: Bool) -> Batch {
        nodes[index].generation += 1
        var batch = Batch(generation: nodes[index].generation)
        batch.events = 1
        if mayErase && Int.random(in: 0..<8, using: &random) == 0 {
            if Bool.random(using: &random) {
                let pseudonym = Bool.random(using: &random)
                    ? "forgotten-\(String(random.next() % 0xFFFF_FFFF_FFFF, radix: 16))" : Self.advocates.randomElement(using: &random)!
                batch.add(SealedErasure(.advocate(id: Self.advocates.randomElement(using: &random)!, pseudonym: pseudonym), key: testKey))
            } else {
                let visitor = UInt64.random(in: 1...8, using: &random)
                batch.add(SealedErasure(.visitor(hash: visitor), key: testKey))
                nodes[index].pairs = nodes[index].pairs.filter { !$0.hasSuffix(" \(visitor)") }
            }
        }
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let token = "t\(Int.random(in: 0..<50, using: &random))"
            guard nodes[index].shared.insert(token).inserted else { continue }
            let followers = [10, 800, 3_000, 50_000, 400_000, 2_000_000].randomElement(using: &random)!
            let hour = Self.hour0 + Int64.random(in: 0..<hours, using: &random)
            let attributes = ShareAttributes(
                advocate: Self.advocates.randomElement(using: &random)!, venue: "v\(Int.random(in: 0..<3, using: &random))",
                campaign: ["c1", "c2", nil].randomElement(using: &random)!,
                network: ["instagram", "tiktok"].randomElement(using: &random)!, followers: followers)
            batch.add(ShareRecord(token: token, attributes: attributes,
                                  tier: TierBounds.default.tier(forFollowers: followers), time: hour * 3600 + 5))
            var counters = Counters()
            counters.shares = 1
            counters.reach = Int64(followers)
            batch.add(counters, at: CounterKey(token: token, hour: hour))
        }
        for _ in 0..<Int.random(in: 0...14, using: &random) {
            let token = "t\(Int.random(in: 0..<54, using: &random))"
            let hour = Self.hour0 + Int64.random(in: 0..<hours, using: &random)
            var counters = Counters()
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                counters.botClicks = 1
            case 1:
                counters.conversions = 1
                counters.value = Money(thousandths: Int64.random(in: 0...400_000, using: &random) * 7)
            case 2:
                counters.clicks = 1
                counters.uniqueClicks = 1
            default:
                let visitor = UInt64.random(in: 1...8, using: &random)
                counters.clicks = 1
                if nodes[index].pairs.insert("\(token) \(visitor)").inserted {
                    counters.uniqueClicks = 1
                    batch.add(VisitorPair(token: token, visitor: visitor, time: hour * 3600))
                }
            }
            batch.add(counters, at: CounterKey(token: token, hour: hour))
        }
        return batch
    }

    /// Random requests: every query command with random filters and ranges.
    mutating func requests(count: Int) -> [ControlRequest] {
        (0..<count).map { _ in
            let since = Bool.random(using: &random) ? (Self.hour0 + Int64.random(in: -1..<12, using: &random)) * 3600 : nil
            let until = Bool.random(using: &random)
                ? (since ?? Self.hour0 * 3600) + Int64.random(in: 1...40_000, using: &random) : nil
            func maybe<T>(_ values: [T]) -> T? {
                Int.random(in: 0..<3, using: &random) == 0 ? values.randomElement(using: &random) : nil
            }
            let filter = QueryFilter(venue: maybe(["v0", "v1", "v2"]), campaign: maybe(["c1", "c2"]),
                                     network: maybe(["instagram", "tiktok"]), tier: maybe(Tier.allCases),
                                     since: since, until: until)
            let command: ControlRequest.Command = [.top, .venues, .tiers, .advocate, .share, .trend]
                .randomElement(using: &random)!
            let id = command == .advocate ? Self.advocates.randomElement(using: &random)! : "t\(Int.random(in: 0..<56, using: &random))"
            return ControlRequest(command: command, query: Query(
                id: id, by: Ranking.allCases.randomElement(using: &random)!.rawValue,
                limit: Int.random(in: 1...8, using: &random), filter: filter))
        }
    }
}
