import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing
import TestSupport

/// `top` over the shared store at a venue or in a campaign with a network or a tier, and over a
/// range of days, from the first rows of the rollup that bounds each advocate's total there
/// (`SharedQueries.topMerged`) and from the place's rows (`SharedQueries.topOfPlaceRows`), against
/// the raw rows, on a real PostgreSQL: random shipments from three nodes, with rows left in the
/// rollup log (the live advocates), at depths that leave most rows unread.
@Suite("Shared store top merged")
struct SharedTopMergeTests {
    @Test("top at a place with a network or a tier ranks a bounding rollup's first rows like the raw rows",
          arguments: [4, 5] as [UInt64])
    func placeWithAnAttribute(seed: UInt64) throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(3)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: seed, nodes: nodes.count)
        try SharedRollupTests.ship(40, of: &chain, to: nodes)
        for _ in 0..<2 {
            let (node, shipment) = chain.nextShipment()
            try nodes[node].ship(shipment, caughtUp: true)
        }
        #expect(try SharedRollupTests.logRows(connection).attributable > 0)
        let filters = [
            QueryFilter(venue: "v1", tier: .nano), QueryFilter(venue: "v0", network: "tiktok"),
            QueryFilter(venue: "v2", network: "instagram", tier: .micro), QueryFilter(campaign: "c1", network: "tiktok"),
            QueryFilter(campaign: "c2", tier: .micro), QueryFilter(campaign: "c1", network: "instagram", tier: .nano),
        ]
        let raw = SharedQueries(connection, readsRollups: false)
        var fast = SharedQueries(connection)
        let source = Source.rollups(storedHours: nil)
        var (answered, placeRowsAnswered) = (0, 0)
        for depth in [0, 1, 3, 8] {
            fast.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for filter in filters {
                let request = ControlRequest(command: .top, query: Query(by: ranking.rawValue, limit: limit, filter: filter))
                let expected = SharedRollupTests.answer(raw, request)
                #expect(SharedRollupTests.answer(fast, request) == expected, "\(request)")
                if depth == 0, let ranked = try fast.snapshot({
                    try fast.topOfPlaceRows(filter, ranking: ranking, limit: limit, over: source)
                }) {
                    placeRowsAnswered += 1
                    #expect(String(decoding: try ControlCodec.encoder().encode(ranked), as: UTF8.self) == expected, "\(request)")
                }
                guard let merged = try fast.snapshot({ try fast.topMerged(filter, ranking: ranking, limit: limit, over: source) })
                else { continue }
                answered += 1
                let json = String(decoding: try ControlCodec.encoder().encode(merged), as: UTF8.self)
                #expect(json == expected, "\(request) depth \(depth)")
            } } }
        }
        #expect(answered > 10 * filters.count, "\(answered)")
        // The place's rows (`topOfPlaceRows`) answer every filter here.
        #expect(placeRowsAnswered == Ranking.allCases.count * 4 * filters.count)
        let campaignAlone = try fast.snapshot {
            try fast.topMerged(QueryFilter(campaign: "c1"), ranking: .clicks, limit: 1, over: source)
        }
        #expect(campaignAlone == nil)
    }

    @Test("top over a range of days ranks the first rows of all time, each advocate's range looked up, like the raw rows",
          arguments: [6, 7] as [UInt64])
    func rangeOfDays(seed: UInt64) throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(3)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: seed, nodes: nodes.count, hours: RangedFilters.hours)
        try SharedRollupTests.ship(40, of: &chain, to: nodes)
        for _ in 0..<2 {
            let (node, shipment) = chain.nextShipment()
            try nodes[node].ship(shipment, caughtUp: true)
        }
        #expect(try SharedRollupTests.logRows(connection).attributable > 0)
        let raw = SharedQueries(connection, readsRollups: false)
        var fast = SharedQueries(connection)
        let source = Source.rollups(storedHours: RandomChain.hour0...(RandomChain.hour0 + RangedFilters.hours - 1))
        var answered = 0
        for depth in [0, 1, 3, 8] {
            fast.topDepth = depth
            for ranking in Ranking.allCases { for limit in 1...4 { for filter in RangedFilters.all(from: RandomChain.hour0) {
                let request = ControlRequest(command: .top, query: Query(by: ranking.rawValue, limit: limit, filter: filter))
                let expected = SharedRollupTests.answer(raw, request)
                #expect(SharedRollupTests.answer(fast, request) == expected, "\(request)")
                guard let merged = try fast.snapshot({ try fast.topMerged(filter, ranking: ranking, limit: limit, over: source) })
                else { continue }
                answered += 1
                #expect(String(decoding: try ControlCodec.encoder().encode(merged), as: UTF8.self) == expected,
                        "\(request) depth \(depth)")
            } } }
        }
        #expect(answered > 100, "\(answered)")
    }

    @Test("where an advocate has several rows under a campaign's network, the campaign's rows bound its advocates")
    func severalRowsUnderTheNetwork() throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        // Under network x by clicks: b's row (10, in campaign c1), d's (7, in c2), a's two (6 each,
        // tiers nano and micro, in c1). In c1, a ranks first with 12: the rows of network x read
        // at depth 1 (b's and d's) end above each of its own, those of campaign c1 do not.
        var batch = Batch(generation: 1)
        batch.addShare("s1", "b", campaign: "c1", reach: 70, clicks: 10, unique: 1)
        batch.addShare("s2", "d", campaign: "c2", reach: 70, clicks: 7, unique: 1)
        batch.addShare("s3", "a", campaign: "c1", reach: 70, clicks: 6, unique: 1)
        batch.addShare("s4", "a", campaign: "c1", tier: .micro, reach: 7_000, clicks: 6, unique: 1)
        try nodes[0].ship(Shipment([batch], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        var queries = SharedQueries(connection)
        let filter = QueryFilter(campaign: "c1", network: "x")
        let rollups = Source.rollups(storedHours: nil)
        let bounds = { (filter: QueryFilter, limit: Int) in
            try queries.snapshot { try queries.bounds(of: filter, limit: limit, over: rollups) }
        }
        #expect(try bounds(filter, 1) == QueryText.Bounds(QueryFilter(campaign: "c1"), summed: false))
        #expect(try bounds(QueryFilter(campaign: "c1", network: "x", tier: .micro), 1)
                == QueryText.Bounds(QueryFilter(network: "x", tier: .micro), summed: false))
        #expect(try bounds(filter, TopMerge.largestLimit + 1) == nil)
        queries.topDepth = 1
        let merged = try queries.snapshot { try queries.topMerged(filter, ranking: .clicks, limit: 1, over: rollups) }
        #expect(merged?.map(\.name) == ["a"])
        let top = ControlRequest(command: .top, query: Query(by: "clicks", limit: 1, filter: filter))
        #expect(SharedRollupTests.answer(queries, top).contains("\"a\""))
    }
}
