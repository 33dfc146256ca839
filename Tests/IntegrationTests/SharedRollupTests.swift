import Foundation
import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import TestSupport
import Testing

/// The shared store's rollups against the raw rows, on a real PostgreSQL: random shipments from
/// three nodes (`RandomChain`: tokens shared on two nodes, orphans whose share arrives through
/// another node, a visitor's clicks through several nodes, `forget` of advocates and visitors),
/// with folds of the rollup log now and then; then every rollup table plus the log rows with a
/// share equals the aggregation of the counters joined with their shares, row for row, before and
/// after a fold, and every query answered from the rollups and the log equals the answer from the
/// raw rows (`SharedQueries(readsRollups: false)`), byte for byte.
@Suite("Shared store rollups")
struct SharedRollupTests {
    /// A fresh database in the test cluster, and `count` nodes' connections to it (each migrates it).
    static func stores(_ count: Int) throws -> (cluster: PostgresCluster, database: String, nodes: [SharedStore]) {
        let cluster = try PostgresCluster.shared.get()
        let database = try cluster.createDatabase()
        let nodes = try (0..<count).map { index in
            try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: "node-\(index)",
                            databaseID: Int64(index + 1), keyFingerprint: nil, keyFile: "")
        }
        return (cluster, database, nodes)
    }

    /// Ships `count` random shipments of `chain`, each with the node that made it, which folds the
    /// rollup log after one shipment in three.
    static func ship(_ count: Int, of chain: inout RandomChain, to nodes: [SharedStore]) throws {
        for index in 0..<count {
            let (node, shipment) = chain.nextShipment()
            try nodes[node].ship(shipment, caughtUp: true)
            if index % 3 == 2 { try nodes[node].fold() }
        }
    }

    /// Per rollup table, the rows of the rollup plus the log rows with a share that differ from the
    /// raw aggregation (either way), by attributes (not group ids: groups are numbered by folds),
    /// in one statement's snapshot. A rollup being built (`SharedRollupBuilds`) against the rows of
    /// the shares whose share group is up to its mark. And `tier_advocates` against the (tier,
    /// advocate) pairs of the counted raw rows (while it is being filled: none of its pairs missing
    /// from those), the share groups without a stored share (none once checked), and the hourly
    /// rows of share groups whose attributes are not their group's (`HourGroupRows`: while they are
    /// being filled, those past the mark may lack some; meanwhile the rows are read joined).
    static func rollupDifferences(_ connection: PostgresConnection) throws -> [String: Int64] {
        let built = try SharedRollupBuilds.marks(connection)
        let filled = try connection.query("SELECT value FROM meta WHERE key = $1", [HourGroupRows.fill.key])
        let filledThrough = filled.count > 0 ? filled.string(0, 0) : nil
        let checks = Rollup.all.map { rollup in
            let hour = rollup.hourly ? ["hour"] : []
            let attributes = rollup.groups.attributes.map { $0 == "campaign" ? "coalesce(s.campaign, '') AS campaign" : "s.\($0)" }
            let marked = built[rollup.table].map { mark in
                " AND EXISTS (SELECT 1 FROM share_groups g WHERE "
                    + GroupTable.shares.attributes.map { "g.\($0) = " + ($0 == "campaign" ? "coalesce(s.campaign, '')" : "s.\($0)") }
                        .joined(separator: " AND ") + " AND g.id <= \(mark))"
            } ?? ""
            let key = (hour + rollup.groups.attributes).joined(separator: ", ")
            let sums = Rows.counterNames.map { "sum(\($0)) AS \($0)" }.joined(separator: ", ")
            let counters = SharedRollups.counters(of: "c")
            return """
                (WITH raw AS (
                    SELECT \(key), \(sums) FROM (
                        SELECT \((hour.map { "c.\($0)" } + attributes).joined(separator: ", ")), \(counters)
                        FROM counters c JOIN shares s USING (token) WHERE \(Rows.counted)\(marked)
                    ) AS rows GROUP BY \(key)
                ), kept AS (
                    SELECT \(key), \(sums) FROM (
                        SELECT \(key), \(Rows.counterNames.joined(separator: ", ")) FROM \((filledThrough == nil ? rollup : rollup.readJoined).withAttributes(.postgres))
                        UNION ALL
                        SELECT \((hour.map { "c.\($0)" } + attributes).joined(separator: ", ")), \(counters)
                        FROM rollup_log c JOIN shares s USING (token) WHERE true\(marked)
                    ) AS rows GROUP BY \(key)
                )
                SELECT '\(rollup.table)', count(*) FROM (
                    (SELECT * FROM kept EXCEPT SELECT * FROM raw) UNION ALL (SELECT * FROM raw EXCEPT SELECT * FROM kept)
                ) AS different)
                """
        }
        let pairs = "SELECT s.tier, s.advocate FROM counters c JOIN shares s USING (token) WHERE \(Rows.counted)"
        let kept = "SELECT tier, advocate FROM tier_advocates"
        // While it is being filled it may lack pairs, never have one too many.
        let missing = try TierAdvocates.fill.remains(connection) ? "" : " UNION ALL (\(pairs) EXCEPT \(kept))"
        let tierAdvocates = "(SELECT 'tier_advocates', count(*) FROM ((\(kept) EXCEPT \(pairs))\(missing)) AS different)"
        // Every share group has a stored share, once the groups a migration found are checked.
        let unshared = try CountedGroups.check.remains(connection) ? []
            : ["(SELECT 'share_groups', count(*) FROM share_groups g WHERE NOT EXISTS (SELECT 1 FROM shares s WHERE \(SharedRollups.share("s", has: "g", of: .shares))))"]
        let attributes = Rollup.hourGroups.groups.attributes
        // The key of the last row the fill reached (`hour:id`, `0` before its first step), as SQL.
        let filledKey = filledThrough.map { $0.contains(":") ? $0.replacingOccurrences(of: ":", with: ", ") : "0, 0" }
            ?? "\(Int64.max), 0"
        let misattributed = """
            (SELECT '\(HourGroupRows.table) attributes', count(*) FROM \(HourGroupRows.table) r JOIN share_groups g USING (id)
            WHERE (\(attributes.map { "r.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(attributes.map { "g.\($0)" }.joined(separator: ", ")))
                AND ((r.hour, r.id) <= (\(filledKey)) OR num_nulls(\(attributes.map { "r.\($0)" }.joined(separator: ", "))) = 0))
            """
        let result = try connection.query((checks + [tierAdvocates, misattributed] + unshared).joined(separator: " UNION ALL "))
        var differences: [String: Int64] = [:]
        for row in 0..<result.count where result.int64(row, 1) != 0 {
            differences[result.string(row, 0) ?? ""] = result.int64(row, 1)
        }
        return differences
    }

    /// The log rows whose token has a share (none after a fold that nobody ran beside), and all of them.
    static func logRows(_ connection: PostgresConnection) throws -> (attributable: Int64, all: Int64) {
        let counts = try connection.query(
            "SELECT count(s.token), count(*) FROM rollup_log l LEFT JOIN shares s USING (token)")
        return (counts.int64(0, 0), counts.int64(0, 1))
    }

    /// An answer as JSON, or its error.
    static func answer(_ queries: SharedQueries, _ request: ControlRequest) -> String {
        do {
            return String(decoding: try ControlCodec.encoder().encode(try queries.answer(request, now: 0)), as: UTF8.self)
        } catch {
            return "error: \(error)"
        }
    }

    /// The rollups equal the raw aggregation, and `count` random requests get the same answers from both.
    static func expectExact(_ connection: PostgresConnection, _ chain: inout RandomChain, count: Int = 120) throws {
        #expect(try rollupDifferences(connection) == [:])
        expectSameAnswers(connection, chain.requests(count: count))
    }

    /// Each of `requests` gets the same answer from the rollups as from the raw rows.
    static func expectSameAnswers(_ connection: PostgresConnection, _ requests: [ControlRequest]) {
        let (fast, raw) = (SharedQueries(connection), SharedQueries(connection, readsRollups: false))
        for request in requests {
            #expect(answer(fast, request) == answer(raw, request), "\(request)")
        }
    }

    /// `top` with `filter` in every ranking, at each of `limits`.
    static func topRequests(_ filter: QueryFilter, limits: [Int]) -> [ControlRequest] {
        Ranking.allCases.flatMap { ranking in
            limits.map { ControlRequest(command: .top, query: Query(by: ranking.rawValue, limit: $0, filter: filter)) }
        }
    }

    @Test("rollups kept by random shipments from three nodes answer like the raw rows", arguments: [1, 2, 3] as [UInt64])
    func rollupsAnswerLikeTheRawRows(seed: UInt64) throws {
        let (cluster, database, nodes) = try Self.stores(3)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: seed, nodes: nodes.count)
        var waited: Int64 = 0
        for _ in 0..<3 {
            try Self.ship(25, of: &chain, to: nodes)
            waited += try Self.logRows(connection).attributable
            try Self.expectExact(connection, &chain)
        }
        // Before the final fold, rows waited in the log; after it, only orphans do.
        #expect(waited > 0)
        try nodes[0].fold()
        let left = try Self.logRows(connection)
        #expect(left.attributable == 0 && left.all > 0, "\(left)")
        try Self.expectExact(connection, &chain)
        // The data is not trivial: tokens won by one node and shipped by another, merged groups.
        let counts = try connection.query("""
            SELECT (SELECT count(*) FROM shares), (SELECT count(*) FROM counters c WHERE NOT EXISTS
                (SELECT 1 FROM shares s WHERE s.token = c.token)), (SELECT count(*) FROM rollup_hour_groups)
            """)
        #expect(counts.int64(0, 0) > 30 && counts.int64(0, 1) > 0 && counts.int64(0, 2) > 50)
    }

    @Test("a new store has its share groups indexed by venue and by campaign, and nothing to build")
    func newStoreIndexes() throws {
        let (cluster, database, nodes) = try Self.stores(1)
        let connection = try cluster.connect(database)
        let indexes = try connection.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'share_groups' ORDER BY indexname")
        #expect((0..<indexes.count).map { indexes.string($0, 0) ?? "" }.filter { $0.contains("(venue") || $0.contains("(campaign") }
                == ["CREATE INDEX share_groups_by_campaign_network ON public.share_groups USING btree (campaign, tier, advocate, network)",
                    "CREATE INDEX share_groups_by_venue_network ON public.share_groups USING btree (venue, tier, advocate, network)"])
        #expect(try nodes[0].rollupsBuilding() == [])
    }

    @Test("an advocate renamed to one whose groups exist merges its groups and rollup rows into theirs")
    func renameMergesGroups() throws {
        let (cluster, database, nodes) = try Self.stores(1)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: 9, nodes: 1)
        try Self.ship(20, of: &chain, to: nodes)
        // a1 and a2 share with the same venue, campaign, network and tier (one group each), then a1
        // is renamed a2: the two groups become one.
        let shipped = try #require(try nodes[0].shippedGeneration())
        var shares = Batch(generation: shipped + 1)
        for (token, advocate) in [("m1", "a1"), ("m2", "a2")] {
            let attributes = ShareAttributes(advocate: advocate, venue: "v9", campaign: "c9", network: "x", followers: 70)
            shares.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: RandomChain.hour0 * 3600))
            var counters = Counters()
            (counters.shares, counters.reach, counters.clicks) = (1, 70, 3)
            shares.add(counters, at: CounterKey(token: token, hour: RandomChain.hour0))
        }
        shares.events = 2
        try nodes[0].ship(Shipment([shares], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        let groups = "SELECT count(*) FROM share_groups WHERE venue = 'v9'"
        #expect(try connection.query(groups).int64(0, 0) == 2)
        // More clicks on m1 wait in the log (not folded) while a1 is renamed: folded later, they
        // count under a2.
        var clicks = Batch(generation: shipped + 2)
        var counters = Counters()
        counters.clicks = 4
        clicks.add(counters, at: CounterKey(token: "m1", hour: RandomChain.hour0))
        clicks.events = 1
        try nodes[0].ship(Shipment([clicks], batchTime: 0), caughtUp: true)
        let erasure = Batch(generation: shipped + 3, erasing: [.advocate(id: "a1", pseudonym: "a2")])
        try nodes[0].ship(Shipment([erasure], batchTime: 0), caughtUp: true)
        try Self.expectExact(connection, &chain, count: 30)
        try nodes[0].fold()
        #expect(try connection.query(groups).int64(0, 0) == 1)
        #expect(try connection.query("SELECT count(*) FROM share_groups WHERE advocate = 'a1'").int64(0, 0) == 0)
        let mergedRows = "SELECT r.shares, r.clicks FROM rollup_groups r JOIN share_groups g USING (id) WHERE g.venue = 'v9'"
        let merged = try connection.query(mergedRows)
        #expect(merged.count == 1 && merged.int64(0, 0) == 2 && merged.int64(0, 1) == 10)
        try Self.expectExact(connection, &chain, count: 60)
        // a2 renamed to itself changes nothing (its groups were once merged into themselves, and
        // deleted: the next fold then found shares without groups and stopped).
        let itself = Batch(generation: shipped + 4, erasing: [.advocate(id: "a2", pseudonym: "a2")])
        var more = Batch(generation: shipped + 5)
        more.add(counters, at: CounterKey(token: "m2", hour: RandomChain.hour0))
        more.events = 1
        try nodes[0].ship(Shipment([itself, more], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        #expect(try connection.query(groups).int64(0, 0) == 1)
        #expect(try connection.query(mergedRows).int64(0, 1) == 14)
        try Self.expectExact(connection, &chain, count: 60)
        // The rollup per advocate and campaign holds each row's advocate (`top --campaign` reads
        // it alone): merged into a2's row above, renamed in place now, to a name no group has.
        let campaignRows = "SELECT advocate, clicks FROM rollup_campaign_advocates WHERE campaign = 'c9'"
        let before = try connection.query(campaignRows)
        #expect(before.count == 1 && before.string(0, 0) == "a2" && before.int64(0, 1) == 14)
        let renamed = Batch(generation: shipped + 6, erasing: [.advocate(id: "a2", pseudonym: "p9")])
        try nodes[0].ship(Shipment([renamed], batchTime: 0), caughtUp: true)
        let after = try connection.query(campaignRows)
        #expect(after.count == 1 && after.string(0, 0) == "p9" && after.int64(0, 1) == 14)
        let top = ControlRequest(command: .top, query: Query(filter: QueryFilter(campaign: "c9")))
        let answer = Self.answer(SharedQueries(connection), top)
        #expect(answer.contains("\"p9\"") && answer == Self.answer(SharedQueries(connection, readsRollups: false), top), "\(answer)")
        // a8's share and p9's unique clicks folded, p9's next share (a large reach) waiting in the
        // log: `top --campaign` ranks p9's stored row with a8's, leaves it out after the LIMIT and
        // adds it back with its logged counters. By engagement the logged share takes p9 below a8.
        var folded = Batch(generation: shipped + 7)
        folded.addShare("m8", "a8", reach: 70, clicks: 15, unique: 5)
        var unique = Counters()
        (unique.clicks, unique.uniqueClicks) = (40, 40)
        folded.add(unique, at: CounterKey(token: "m1", hour: RandomChain.hour0))
        folded.events += 1
        try nodes[0].ship(Shipment([folded], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        var logged = Batch(generation: shipped + 8)
        logged.addShare("m9", "p9", reach: 10_000, clicks: 0, unique: 0)
        try nodes[0].ship(Shipment([logged], batchTime: 0), caughtUp: true)
        #expect(try Self.logRows(connection).attributable > 0)
        Self.expectSameAnswers(connection, Self.topRequests(QueryFilter(campaign: "c9"), limits: [1, 2]))
        for (ranking, first) in [("clicks", "p9"), ("engagement", "a8")] {
            let top = ControlRequest(command: .top, query: Query(by: ranking, limit: 1, filter: QueryFilter(campaign: "c9")))
            #expect(Self.answer(SharedQueries(connection), top).contains("\"\(first)\""), "\(ranking)")
        }
        try Self.expectExact(connection, &chain, count: 60)
    }

    @Test("top with a network or a tier alone sums apart each advocate with several rows under it, and the logged ones")
    func topSumsSeveralRowsApart() throws {
        let (cluster, database, nodes) = try Self.stores(1)
        let connection = try cluster.connect(database)
        // a1 has three rows under tier nano (networks x, y and z) and three under network x (tiers
        // nano, micro and mid), each with fewer unique clicks than a2's one row, and more
        // together; each with more clicks, so that they alone fill the first rows by clicks.
        var folded = Batch(generation: 1)
        folded.addShare("s1", "a1", network: "x", reach: 70, clicks: 11, unique: 4)
        folded.addShare("s2", "a1", network: "y", reach: 70, clicks: 11, unique: 4)
        folded.addShare("s3", "a1", network: "x", tier: .micro, reach: 7_000, clicks: 11, unique: 4)
        folded.addShare("s4", "a2", network: "x", reach: 70, clicks: 10, unique: 10)
        folded.addShare("s5", "a3", network: "y", tier: .micro, reach: 7_000, clicks: 1, unique: 1)
        folded.addShare("s7", "a1", network: "z", reach: 70, clicks: 11, unique: 4)
        folded.addShare("s8", "a1", network: "x", tier: .mid, reach: 70_000, clicks: 11, unique: 4)
        try nodes[0].ship(Shipment([folded], batchTime: 0), caughtUp: true)
        try nodes[0].fold()
        let filters = [QueryFilter(network: "x"), QueryFilter(tier: .nano)]
        func expectTop(first: String) throws {
            for filter in filters {
                Self.expectSameAnswers(connection, Self.topRequests(filter, limits: [1, 2, 3]))
                let top = ControlRequest(command: .top, query: Query(by: "unique_clicks", limit: 1, filter: filter))
                #expect(Self.answer(SharedQueries(connection), top).contains("\"\(first)\""), "\(filter)")
            }
        }
        try expectTop(first: "a1")
        let queries = SharedQueries(connection)
        let rollups = Source.rollups(storedHours: nil)
        #expect(try filters.map { try queries.advocatesWithSeveralRows($0, over: rollups) } == Array(repeating: QueryText.SeveralRows(advocates: "{a1}", rows: 3), count: 2))
        #expect(try queries.advocatesWithSeveralRows(QueryFilter(network: "x", tier: .nano), over: rollups) == nil)
        #expect(try queries.advocatesWithSeveralRows(QueryFilter(tier: .nano), over: .raw) == nil)
        // a2's next share waits in the log: 15 unique clicks, more than a1's 12.
        var logged = Batch(generation: 2)
        logged.addShare("s6", "a2", network: "x", reach: 70, clicks: 5, unique: 5)
        try nodes[0].ship(Shipment([logged], batchTime: 0), caughtUp: true)
        #expect(try Self.logRows(connection).attributable > 0)
        try expectTop(first: "a2")
        // Up to `mostSummedApart` advocates with several rows are summed apart; past it every
        // advocate is summed (and the answers are the same).
        for (generation, count) in [(3, SharedQueries.mostSummedApart - 1), (4, 1)] as [(UInt64, Int)] {
            var more = Batch(generation: generation)
            for index in 0..<count {
                let advocate = "b\(generation)-\(index)"
                for network in ["x", "y"] { more.addShare("\(advocate)-\(network)", advocate, network: network, reach: 70, clicks: 1, unique: 1) }
            }
            try nodes[0].ship(Shipment([more], batchTime: 0), caughtUp: true)
            try nodes[0].fold()
            let several = try queries.advocatesWithSeveralRows(QueryFilter(tier: .nano), over: rollups)
            #expect(generation == 4 ? several == nil : several?.advocates.split(separator: ",").count == SharedQueries.mostSummedApart
                    && several?.rows == 3 + 2 * (SharedQueries.mostSummedApart - 1))
            try expectTop(first: "a2")
        }
    }
}

extension Batch {
    /// A batch of generation `generation` holding only `erasures`.
    init(generation: UInt64, erasing erasures: [Erasure]) {
        self.init(generation: generation)
        for erasure in erasures { add(SealedErasure(erasure, key: testKey)) }
        events = 1
    }

    /// Adds a share at venue v9 in campaign c9 and its counters in `RandomChain.hour0`.
    mutating func addShare(_ token: String, _ advocate: String, campaign: String = "c9", network: String = "x",
                           tier: Tier = .nano, reach: Int64, clicks: Int64, unique: Int64) {
        let attributes = ShareAttributes(advocate: advocate, venue: "v9", campaign: campaign, network: network,
                                         followers: Int(reach))
        add(ShareRecord(token: token, attributes: attributes, tier: tier, time: RandomChain.hour0 * 3600))
        var counters = Counters()
        (counters.shares, counters.reach, counters.clicks, counters.uniqueClicks) = (1, reach, clicks, unique)
        add(counters, at: CounterKey(token: token, hour: RandomChain.hour0))
        events += 1
    }
}
