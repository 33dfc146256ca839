import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// `top` over the shared store at a venue or in a campaign with a network or a tier, from the
/// place's rows of the advocates with a share group under the filter
/// (`SharedQueries.topOfPlaceRows`), on a real PostgreSQL, against the raw rows.
@Suite("Shared store top of a place's rows")
struct SharedTopOfPlaceRowsTests {
    @Test("an advocate with another tier at the place, a logged one, and too many of the first")
    func mixedAndLoggedAdvocates() throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        // In campaign c1 by engagement under nano: a's nano share 0.1, its micro share 0.9999, so
        // its campaign row ranks first (7,006 / 7,070) where its total under nano ranks last; b
        // 0.5, c 0.2; d (micro alone, 1.0) has no row under nano. Campaign c2 holds b's share of
        // another tier, which changes nothing in c1.
        var folded = Batch(generation: 1)
        folded.addShare("s1", "a", campaign: "c1", reach: 70, clicks: 7, unique: 7)
        folded.addShare("s2", "a", campaign: "c1", tier: .micro, reach: 7_000, clicks: 6_999, unique: 6_999)
        folded.addShare("s3", "b", campaign: "c1", reach: 70, clicks: 35, unique: 35)
        folded.addShare("s4", "c", campaign: "c1", reach: 70, clicks: 14, unique: 14)
        folded.addShare("s5", "b", campaign: "c2", tier: .mid, reach: 70_000, clicks: 1, unique: 1)
        folded.addShare("s7", "d", campaign: "c1", tier: .micro, reach: 7_000, clicks: 7_000, unique: 7_000)
        try nodes[0].ship(Shipment([folded], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        let queries = SharedQueries(connection)
        let rollups = Source.rollups(storedHours: nil)
        let (nano, network) = (QueryFilter(campaign: "c1", tier: .nano), QueryFilter(campaign: "c1", network: "x"))
        func placeRows(_ filter: QueryFilter, limit: Int = 3) throws -> [String]? {
            try queries.snapshot {
                try queries.topOfPlaceRows(filter, ranking: .engagement, limit: limit, over: rollups)?.map(\.name)
            }
        }
        func mixed(_ filter: QueryFilter) throws -> QueryText.SeveralRows? {
            let statement = queries.text.advocatesMixedAtPlace(filter, over: rollups, limit: SharedQueries.mostSummedApart + 1)
            return try statement.map { sql, values in
                let found = try connection.query(sql, values.map(\.text))
                return QueryText.SeveralRows(advocates: found.string(0, 0) ?? "", rows: Int(found.int64(0, 1)))
            }
        }
        #expect(try mixed(nano) == QueryText.SeveralRows(advocates: "{a}", rows: 1))
        #expect(try mixed(QueryFilter(campaign: "c2", tier: .mid)) == QueryText.SeveralRows(advocates: "{}", rows: 0))
        #expect(try placeRows(nano) == ["b", "c", "a"])
        #expect(try placeRows(nano, limit: 1) == ["b"])
        #expect(try placeRows(QueryFilter(venue: "v9", tier: .micro)) == ["d", "a"])
        let requests = [nano, QueryFilter(venue: "v9", tier: .nano), QueryFilter(campaign: "c1", tier: .micro), network]
            .flatMap { SharedRollupTests.topRequests($0, limits: [1, 2, 3]) }
        SharedRollupTests.expectSameAnswers(connection, requests)
        // Every share is on network x: a is mixed under a tier there, not under the network alone.
        #expect(try mixed(network) == QueryText.SeveralRows(advocates: "{}", rows: 0))
        #expect(try placeRows(network) == ["d", "a", "b"])
        #expect(try mixed(QueryFilter(campaign: "c1", network: "x", tier: .nano)) == QueryText.SeveralRows(advocates: "{a}", rows: 1))
        #expect(try placeRows(QueryFilter(campaign: "c1", network: "x", tier: .nano)) == ["b", "c", "a"])
        // Not over a range.
        #expect(try placeRows(QueryFilter(campaign: "c1", tier: .nano, since: RandomChain.hour0 * 3600)) == nil)

        // c's next nano share waits in the rollup log: 84 / 140, above b.
        var logged = Batch(generation: 2)
        logged.addShare("s6", "c", campaign: "c1", reach: 70, clicks: 70, unique: 70)
        try nodes[0].ship(Shipment([logged], batchTime: 0), caughtUp: true)
        #expect(try SharedRollupTests.logRows(connection).attributable > 0)
        #expect(try placeRows(nano) == ["c", "b", "a"])
        SharedRollupTests.expectSameAnswers(connection, requests)

        // Past `mostSummedApart` advocates of two tiers in the campaign, every advocate is summed.
        var more = Batch(generation: 3)
        for index in 0..<SharedQueries.mostSummedApart {
            more.addShare("m\(index)-nano", "m\(index)", campaign: "c1", reach: 70, clicks: 1, unique: 1)
            more.addShare("m\(index)-micro", "m\(index)", campaign: "c1", tier: .micro, reach: 7_000, clicks: 1, unique: 1)
        }
        try nodes[0].ship(Shipment([more], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        #expect(try mixed(nano)?.rows == SharedQueries.mostSummedApart + 1)
        #expect(try placeRows(nano) == nil)
        #expect(try placeRows(QueryFilter(campaign: "c2", tier: .mid)) == ["b"])
        SharedRollupTests.expectSameAnswers(connection, requests)
    }
}
