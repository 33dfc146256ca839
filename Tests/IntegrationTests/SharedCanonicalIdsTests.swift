import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// Schema version 15 of the shared store (`SharedCanonicalIds`): the ids that nodes of before
/// 2026-12-05 shipped in another Unicode spelling than NFC are put in NFC, their groups and
/// rollup rows merged with those of the NFC spelling, their sources merged per node.
@Suite("Shared store ids in NFC")
struct SharedCanonicalIdsTests {
    static let composed = (advocate: "Zo\u{EB}", venue: "caf\u{E9}", campaign: "f\u{EA}te", source: "k-caf\u{E9}")
    static let decomposed = (advocate: "Zoe\u{308}", venue: "cafe\u{301}", campaign: "fe\u{302}te", source: "k-cafe\u{301}")
    /// An advocate whose NFC spelling keeps a mark apart (`k\u{1EA1}\u{307}`), in two spellings not in NFC.
    static let unordered = ["ka\u{323}\u{307}", "ka\u{307}\u{323}"]

    /// A batch of `node`'s next generation: a share of `token` with `ids`' advocate, venue and
    /// campaign (nil: `ids`' advocate at venue v0, no campaign), clicked `clicks` times, and the
    /// state of source `ids.source` at `seq`.
    static func batch(_ node: SharedStore, _ token: String, _ ids: (advocate: String, venue: String, campaign: String, source: String),
                      atPlace: Bool = true, clicks: Int64, seq: UInt64) throws -> Batch {
        var batch = Batch(generation: (try node.shippedGeneration() ?? 0) + 1)
        let attributes = ShareAttributes(advocate: ids.advocate, venue: atPlace ? ids.venue : "v0",
                                         campaign: atPlace ? ids.campaign : nil, network: "instagram", followers: 40)
        batch.add(ShareRecord(token: token, attributes: attributes, tier: .nano, time: RandomChain.hour0 * 3600))
        var counters = Counters()
        (counters.shares, counters.reach, counters.clicks, counters.uniqueClicks) = (1, 40, clicks, clicks)
        batch.add(counters, at: CounterKey(token: token, hour: RandomChain.hour0 + 1))
        var source = SourceState()
        (source.highestSeq, source.lastSeen, source.accepted) = (seq, RandomChain.hour0 * 3600 + Int64(seq), Int64(seq))
        batch.sources = [ids.source: source]
        batch.events = 2
        return batch
    }

    @Test("a store at schema version 14 gets every id in NFC: groups, rollup rows and sources of both spellings merged, exact, found by the NFC spelling")
    func migratesVersionFourteen() throws {
        var (cluster, database, nodes, chain) = try SharedSchemaMigrationTests.shipped(30, seed: 1515)
        let connection = try cluster.connect(database)
        // Two nodes of before ids were kept in NFC: one shipped each id composed, the other
        // decomposed, and both spellings of one source; n3's share is folded, u1-u3's wait in the log.
        let old = try ["node-old-1", "node-old-2"].enumerated().map { index, node in
            try SharedStore(conninfo: cluster.conninfo(database), password: nil, node: node, databaseID: Int64(20 + index),
                            keyFingerprint: nil, keyFile: "")
        }
        try old[0].ship(Shipment([try Self.batch(old[0], "n3", Self.decomposed, atPlace: false, clicks: 7, seq: 4)],
                                 batchTime: 0), caughtUp: true)
        try old[0].fold()
        try old[0].ship(Shipment([try Self.batch(old[0], "u1", Self.composed, clicks: 2, seq: 9)], batchTime: 0), caughtUp: true)
        try old[1].ship(Shipment([try Self.batch(old[1], "u2", Self.decomposed, clicks: 3, seq: 12)], batchTime: 0), caughtUp: true)
        try old[1].ship(Shipment([try Self.batch(old[1], "u3", Self.composed, atPlace: false, clicks: 5, seq: 6)],
                                 batchTime: 0), caughtUp: true)
        // Two spellings of one id, neither in NFC (its marks in either order): merged in a second round.
        for (index, advocate) in Self.unordered.enumerated() {
            let ids = (advocate: advocate, venue: Self.composed.venue, campaign: Self.composed.campaign, source: "k-w")
            try old[index].ship(Shipment([try Self.batch(old[index], "w\(index)", ids, clicks: 1, seq: 1)], batchTime: 0),
                                caughtUp: true)
        }
        try SharedRollupTests.expectExact(connection, &chain)
        let spelled = { (spelling: String) throws -> Int64 in
            try connection.query("""
                SELECT (SELECT count(*) FROM shares WHERE $1 IN (advocate, venue, campaign))
                    + (SELECT count(*) FROM share_groups WHERE $1 IN (advocate, venue, campaign))
                    + (SELECT count(*) FROM rollup_campaign_advocates WHERE $1 IN (advocate, campaign))
                    + (SELECT count(*) FROM tier_advocates WHERE advocate = $1)
                    + (SELECT count(*) FROM sources WHERE source = $1)
                """, [spelling]).int64(0, 0)
        }
        let (decomposed, composed) = ([Self.decomposed.advocate, Self.decomposed.venue, Self.decomposed.campaign,
                                       Self.decomposed.source] + Self.unordered,
                                      [Self.composed.advocate, Self.composed.venue, Self.composed.campaign, Self.composed.source])
        #expect(try decomposed.allSatisfy { try spelled($0) > 0 } && composed.allSatisfy { try spelled($0) > 0 })

        try connection.execute("UPDATE meta SET value = '14' WHERE key = 'schema_version'")
        _ = try SharedSchemaMigrationTests.migrated(cluster, database, from: 14)
        #expect(try decomposed.map(spelled) == [0, 0, 0, 0, 0, 0])
        // A node of version 14 (or one of before ids were kept in NFC) still connected: its
        // shipments refused; folds as before.
        try SharedSchemaMigrationTests.expectRefused(connection, shipmentVersion: CountedGroups.version, foldVersion: 11)
        try SharedRollupTests.expectExact(connection, &chain)
        for node in old { try node.fold() }
        try SharedRollupTests.expectExact(connection, &chain)
        // Zoë's group and the one of both unordered spellings.
        #expect(try connection.query("SELECT count(*) FROM share_groups WHERE venue = $1", [Self.composed.venue]).int64(0, 0) == 2)
        let merged = try connection.query("SELECT advocate, shares, clicks FROM rollup_advocate_totals JOIN advocate_alone_groups "
                                          + "USING (id) WHERE advocate = $1", [CanonicalText.nfc(Self.unordered[0])])
        #expect(merged.count == 1 && merged.int64(0, 1) == 2 && merged.int64(0, 2) == 2)
        // The advocate by its NFC spelling: every share and click of both spellings.
        let advocate = SharedRollupTests.answer(SharedQueries(connection),
                                                ControlRequest(command: .advocate, query: Query(id: Self.composed.advocate)))
        #expect(advocate.contains("\"shares\":4") && advocate.contains("\"clicks\":17"), "\(advocate)")
        let top = ControlRequest(command: .top, query: Query(filter: QueryFilter(venue: Self.composed.venue,
                                                                                 campaign: Self.composed.campaign)))
        let answer = SharedRollupTests.answer(SharedQueries(connection), top)
        #expect(answer.contains("\"clicks\":5") && answer.contains("\"shares\":2") && answer.contains("\"clicks\":2"), "\(answer)")
        SharedRollupTests.expectSameAnswers(connection, [top] + SharedRollupTests.topRequests(
            QueryFilter(campaign: Self.composed.campaign), limits: [1, 3]))
        // The source: one row per node, the greater seq and counts of its two spellings.
        let sources = try connection.query("SELECT node, highest_seq, accepted FROM sources WHERE source = $1 ORDER BY node",
                                           [Self.composed.source])
        #expect((0..<sources.count).map { "\(sources.string($0, 0) ?? "") \(sources.int64($0, 1)) \(sources.int64($0, 2))" }
                == ["node-old-1 9 9", "node-old-2 12 12"])

        // Shipments and a forget go on as before: the advocate's every row renamed.
        try SharedRollupTests.ship(10, of: &chain, to: nodes)
        let forget = Batch(generation: try #require(try old[1].shippedGeneration()) + 1,
                           erasing: [.advocate(id: Self.composed.advocate, pseudonym: "forgotten-0123456789ab")])
        try old[1].ship(Shipment([forget], batchTime: 0), caughtUp: true)
        #expect(try connection.query("SELECT count(*) FROM shares WHERE advocate = 'forgotten-0123456789ab'").int64(0, 0) == 4)
        #expect(try connection.query("SELECT count(*) FROM tier_advocates WHERE advocate = $1", [Self.composed.advocate])
                .int64(0, 0) == 0)
        try SharedRollupTests.expectExact(connection, &chain)
    }
}
