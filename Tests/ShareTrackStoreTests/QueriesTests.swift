import Foundation
import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// 2026-11-27T20:00:00Z, the first hour bucket of the fixture.
private let t0: Int64 = 1_795_809_600
private let h0 = t0.hourBucket
private let now = t0 + 4 * 3600

/// A fresh database file in its own temporary directory.
final class TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("sharetrack.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("queries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Makes `batches` durable through the store and applies the first `applied` of them (all by
    /// default), then opens the query engine.
    func queries(writing batches: [Batch] = [], applying applied: Int? = nil) throws -> Queries {
        let store = try Store(path: path, visitorKey: testKey)
        let journal = try Journal(databasePath: path, databaseID: store.id, visitorKey: testKey)
        for batch in batches { try journal.append(batch, forgettingThrough: 0) }
        for batch in batches.prefix(applied ?? batches.count) { try store.apply(batch) }
        return try Queries(path: path)
    }
}

private func share(_ token: String, _ advocate: String, venue: String, campaign: String? = nil,
                   network: String = "instagram", followers: Int, hour: Int64 = 0) -> ShareRecord {
    let attributes = ShareAttributes(advocate: advocate, venue: venue, campaign: campaign, network: network,
                                     followers: followers)
    return ShareRecord(token: token, attributes: attributes, tier: TierBounds.default.tier(forFollowers: followers),
                       time: (h0 + hour) * 3600 + 60)
}

private func counters(shares: Int64 = 0, reach: Int64 = 0, clicks: Int64 = 0, unique: Int64 = 0, bot: Int64 = 0,
                      conversions: Int64 = 0, value: Money = 0) -> Counters {
    var counters = Counters()
    counters.shares = shares
    counters.reach = reach
    counters.clicks = clicks
    counters.uniqueClicks = unique
    counters.botClicks = bot
    counters.conversions = conversions
    counters.value = value
    return counters
}

/// A batch recording `shares` (each counted in its own hour) and `clicks` (token, hour offset, counters).
private func batch(_ generation: UInt64, shares: [ShareRecord] = [], clicks: [(String, Int64, Counters)] = []) -> Batch {
    var batch = Batch(generation: generation)
    for share in shares {
        batch.add(share)
        batch.add(counters(shares: 1, reach: Int64(share.attributes.followers)),
                  at: CounterKey(token: share.token, hour: share.time.hourBucket))
    }
    for (token, hour, delta) in clicks {
        batch.add(delta, at: CounterKey(token: token, hour: h0 + hour))
    }
    batch.events = shares.count + clicks.count
    return batch
}

/// ann: two shares (nano on v1 at h0, micro on v2 at h0+1); bob: one mid share on v1; cat: one
/// mega share on v2 at h0+2; `o1` is an orphan token with clicks but no share.
private let fixture: [Batch] = [
    batch(1, shares: [
        share("s1", "ann", venue: "v1", campaign: "xmas", followers: 800),
        share("s3", "bob", venue: "v1", campaign: "xmas", followers: 50_000),
    ], clicks: [
        ("s1", 0, counters(clicks: 10, unique: 8, bot: 2)),
        ("s3", 0, counters(clicks: 100, unique: 50, bot: 7)),
        ("o1", 0, counters(clicks: 4, unique: 3, bot: 1, conversions: 1, value: 5)),
    ]),
    batch(2, shares: [
        share("s2", "ann", venue: "v2", network: "tiktok", followers: 3000, hour: 1),
    ], clicks: [
        ("s1", 1, counters(clicks: 5, unique: 2, conversions: 1, value: 12.5)),
        ("s2", 1, counters(clicks: 30, unique: 30, conversions: 2, value: 40)),
    ]),
    batch(3, shares: [
        share("s4", "cat", venue: "v2", network: "x", followers: 2_000_000, hour: 2),
    ], clicks: [
        ("s4", 2, counters(clicks: 1, unique: 1)),
        ("s1", 0, counters(clicks: 1, unique: 1)),
    ]),
]

private func request(_ command: ControlRequest.Command, id: String? = nil, by: String? = nil, limit: Int? = nil,
                     filter: QueryFilter = QueryFilter(), silentAfter: Int64? = nil) -> ControlRequest {
    ControlRequest(command: command, query: Query(id: id, by: by, limit: limit, filter: filter, silentAfter: silentAfter))
}

private func answer<Result>(_ queries: Queries, _ request: ControlRequest, live: LiveData? = nil,
                            as type: Result.Type = Result.self) throws -> Result {
    try #require(try queries.answer(request, live: live, now: now) as? Result)
}

private func json(_ value: any Encodable) throws -> String {
    String(decoding: try ControlCodec.encoder().encode(value), as: UTF8.self)
}

private func names(_ rows: [GroupRow]) -> [String] {
    rows.map(\.name)
}

@Suite struct QueriesTests {
    // MARK: Sums and filters

    @Test func venuesSumEveryCounterAndLeaveOrphansOut() throws {
        let database = try TemporaryDatabase()
        let rows = try answer(try database.queries(writing: fixture), request(.venues), as: [GroupRow].self)
        #expect(names(rows) == ["v1", "v2"])
        let v1 = rows[0].totals
        #expect(v1 == CounterTotals(counters(shares: 2, reach: 50_800, clicks: 116, unique: 61, bot: 9, conversions: 1,
                                             value: 12.5)))
        #expect(v1.engagementRate == 61.0 / 50_800)
        #expect(rows[1].totals.clicks == 31 && rows[1].totals.reach == 2_003_000)
    }

    @Test func filtersCombine() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        let v1Ann = try answer(queries, request(.venues, filter: QueryFilter(advocate: "ann", venue: "v1")),
                               as: [GroupRow].self)
        #expect(v1Ann.map(\.totals.clicks) == [16])
        let tiktok = try answer(queries, request(.top, filter: QueryFilter(network: "tiktok")), as: [GroupRow].self)
        #expect(names(tiktok) == ["ann"] && tiktok[0].totals.clicks == 30)
        let xmasMid = try answer(queries, request(.top, filter: QueryFilter(campaign: "xmas", tier: .mid)),
                                 as: [GroupRow].self)
        #expect(names(xmasMid) == ["bob"])
        let none = try answer(queries, request(.venues, filter: QueryFilter(venue: "v1", network: "x")),
                              as: [GroupRow].self)
        #expect(none.isEmpty)
    }

    @Test func timeRangeSelectsWholeHourBuckets() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        func clicks(since: Int64?, until: Int64?) throws -> Int64 {
            let rows = try answer(queries, request(.venues, filter: QueryFilter(since: since, until: until)),
                                  as: [GroupRow].self)
            return rows.map(\.totals.clicks).reduce(0, +)
        }
        #expect(try clicks(since: nil, until: nil) == 147)
        // Since is rounded down: half past h0 still includes h0.
        #expect(try clicks(since: t0 + 1800, until: nil) == 147)
        #expect(try clicks(since: t0 + 3600, until: nil) == 36)
        // Until is rounded up, and the range excludes it: [h0, h0+1).
        #expect(try clicks(since: nil, until: t0 + 3600) == 111)
        #expect(try clicks(since: nil, until: t0 + 3601) == 146)
        #expect(try clicks(since: t0 + 3600, until: t0 + 7200) == 35)
    }

    @Test func engagementRateComesFromTheBucketsInRange() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        // ann at h0+1 only: s2 (reach 3000) and 2 + 30 unique clicks.
        let rows = try answer(queries, request(.top, filter: QueryFilter(since: t0 + 3600, until: t0 + 7200)),
                              as: [GroupRow].self)
        #expect(rows[0].name == "ann" && rows[0].totals.engagementRate == 32.0 / 3000)
        // No share in range: reach 0, rate 0.
        let late = try answer(queries, request(.top, filter: QueryFilter(since: t0 + 7200)), as: [GroupRow].self)
        #expect(late.map(\.totals.engagementRate) == [1.0 / 2_000_000])
        // v1 in that hour: clicks on s1, but its share (and reach) is in the hour before.
        let venues = try answer(queries, request(.venues, filter: QueryFilter(since: t0 + 3600, until: t0 + 7200)),
                                as: [GroupRow].self)
        #expect(venues.map(\.totals.engagementRate) == [0, 30.0 / 3000])
    }

    // MARK: top

    @Test(arguments: [
        ("unique_clicks", ["bob", "ann", "cat"]),
        ("clicks", ["bob", "ann", "cat"]),
        ("shares", ["ann", "bob", "cat"]),
        ("reach", ["cat", "bob", "ann"]),
        ("engagement", ["ann", "bob", "cat"]),
        ("conversions", ["ann", "bob", "cat"]),
        ("value", ["ann", "bob", "cat"]),
    ])
    func topRanks(by: String, expected: [String]) throws {
        let database = try TemporaryDatabase()
        let rows = try answer(try database.queries(writing: fixture), request(.top, by: by), as: [GroupRow].self)
        #expect(names(rows) == expected)
        #expect(rows.allSatisfy { $0.dimension == .advocate })
    }

    @Test func topBreaksTiesByAdvocateAndHonoursTheLimit() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        // bob and cat both have no conversions; ann leads.
        #expect(names(try answer(queries, request(.top, by: "conversions"), as: [GroupRow].self)) == ["ann", "bob", "cat"])
        #expect(names(try answer(queries, request(.top, limit: 2), as: [GroupRow].self)) == ["bob", "ann"])
        let defaults = try answer(queries, request(.top), as: [GroupRow].self)
        #expect(try defaults == answer(queries, request(.top, by: "unique_clicks", limit: 20), as: [GroupRow].self))
    }

    // MARK: tiers

    @Test func tiersListEveryTierInOrderWithZeros() throws {
        let database = try TemporaryDatabase()
        let rows = try answer(try database.queries(writing: fixture), request(.tiers), as: [GroupRow].self)
        #expect(names(rows) == ["nano", "micro", "mid", "macro", "mega"])
        #expect(rows.map(\.advocates) == [1, 1, 1, 0, 1])
        #expect(rows.map(\.totals.shares) == [1, 1, 1, 0, 1])
        #expect(rows[3].totals == CounterTotals())
        #expect(rows[0].totals.clicks == 16 && rows[0].totals.engagementRate == 11.0 / 800)
    }

    @Test func tiersCountDistinctAdvocates() throws {
        let database = try TemporaryDatabase()
        let more = batch(4, shares: [
            share("s5", "bob", venue: "v1", followers: 900),
            share("s6", "ann", venue: "v1", followers: 10),
        ])
        let rows = try answer(try database.queries(writing: fixture + [more]), request(.tiers), as: [GroupRow].self)
        #expect(rows[0].advocates == 2 && rows[0].totals.shares == 3)
    }

    // MARK: advocate

    @Test func advocateReportSplitsPerNetworkVenueTierAndListsRecentShares() throws {
        let database = try TemporaryDatabase()
        let report = try answer(try database.queries(writing: fixture), request(.advocate, id: "ann"),
                                as: AdvocateReport.self)
        #expect(report.advocate == "ann")
        #expect(report.totals == CounterTotals(counters(shares: 2, reach: 3800, clicks: 46, unique: 41, bot: 2,
                                                        conversions: 3, value: 52.5)))
        #expect(report.networks.map { "\($0.name):\($0.totals.clicks)" } == ["instagram:16", "tiktok:30"])
        #expect(report.venues.map { "\($0.name):\($0.totals.clicks)" } == ["v1:16", "v2:30"])
        #expect(report.tiers.map(\.name) == ["nano", "micro"] && report.tiers.allSatisfy { $0.advocates == nil })
        #expect(report.recentShares.map(\.share) == ["s2", "s1"])
        let s1 = try #require(report.recentShares.last)
        #expect(s1.attribution == ShareAttribution(advocate: "ann", venue: "v1", campaign: "xmas", network: "instagram",
                                                   followers: 800, tier: .nano, time: "2026-11-27T20:01:00Z"))
        #expect(s1.totals.clicks == 16 && s1.orphanClicks == 0)
    }

    @Test func advocateReportHonoursTheRangeAndListsAtMostTenShares() throws {
        let database = try TemporaryDatabase()
        let many = batch(4, shares: (0..<12).map { share("m\($0)", "dan", venue: "v9", followers: 100, hour: Int64($0)) })
        let queries = try database.queries(writing: fixture + [many])
        let report = try answer(queries, request(.advocate, id: "dan"), as: AdvocateReport.self)
        #expect(report.recentShares.map(\.share) == (2..<12).reversed().map { "m\($0)" })
        let early = try answer(queries, request(.advocate, id: "dan", filter: QueryFilter(until: t0 + 7200)),
                               as: AdvocateReport.self)
        #expect(early.recentShares.map(\.share) == ["m1", "m0"] && early.totals.shares == 2)
        // Shares outside the range: a known advocate with zeros, not an error.
        let later = try answer(queries, request(.advocate, id: "ann", filter: QueryFilter(since: now)),
                               as: AdvocateReport.self)
        #expect(later.totals == CounterTotals() && later.recentShares.isEmpty && later.networks.isEmpty)
    }

    // MARK: share

    @Test func shareShowsItsAttributionAndCounters() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        let report = try answer(queries, request(.share, id: "s1"), as: ShareReport.self)
        #expect(report.attribution?.advocate == "ann" && report.attribution?.followers == 800)
        #expect(report.totals == CounterTotals(counters(shares: 1, reach: 800, clicks: 16, unique: 11, bot: 2,
                                                        conversions: 1, value: 12.5)))
        #expect(report.orphanClicks == 0 && report.orphanConversions == 0)
        let ranged = try answer(queries, request(.share, id: "s1", filter: QueryFilter(since: t0 + 3600)),
                                as: ShareReport.self)
        #expect(ranged.totals.clicks == 5 && ranged.totals.shares == 0)
    }

    @Test func orphansAreAttributedOnceTheShareArrives() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        let orphan = try answer(queries, request(.share, id: "o1"), as: ShareReport.self)
        #expect(orphan.attribution == nil)
        #expect(orphan.orphanClicks == 4 && orphan.orphanConversions == 1)
        #expect(orphan.totals.botClicks == 1 && orphan.totals.value == 5)

        let late = batch(4, shares: [share("o1", "eve", venue: "v3", followers: 400, hour: 1)])
        let live = LiveData(batches: [late])
        let attributed = try answer(queries, request(.share, id: "o1"), live: live, as: ShareReport.self)
        #expect(attributed.attribution?.advocate == "eve" && attributed.orphanClicks == 0)
        #expect(attributed.totals.clicks == 4 && attributed.totals.shares == 1)
        let top = try answer(queries, request(.top, filter: QueryFilter(venue: "v3")), live: live, as: [GroupRow].self)
        #expect(top.map(\.name) == ["eve"] && top[0].totals.conversions == 1)
    }

    // MARK: Live data

    /// Every query, to compare live and committed answers.
    private static let everyQuery: [ControlRequest] = [
        request(.top), request(.top, by: "engagement"), request(.top, filter: QueryFilter(since: t0 + 3600)),
        request(.venues), request(.venues, filter: QueryFilter(advocate: "ann")), request(.tiers),
        request(.advocate, id: "ann"), request(.advocate, id: "cat"),
        request(.share, id: "s1"), request(.share, id: "o1"), request(.share, id: "s4"),
    ]

    @Test func liveBatchesAnswerAsIfWritten() throws {
        let written = try TemporaryDatabase()
        let committed = try written.queries(writing: fixture)
        let empty = try TemporaryDatabase()
        let live = try empty.queries()
        let partial = try TemporaryDatabase()
        let mixed = try partial.queries(writing: [fixture[0]])
        for request in Self.everyQuery {
            let expected = try json(committed.answer(request, live: nil, now: now))
            #expect(try json(live.answer(request, live: LiveData(batches: fixture), now: now)) == expected)
            #expect(try json(mixed.answer(request, live: LiveData(batches: Array(fixture[1...])), now: now))
                    == expected)
        }
    }

    @Test func batchesTheDatabaseHoldsAreNotCountedTwice() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: Array(fixture[..<2]))
        let complete = try TemporaryDatabase()
        let expected = try complete.queries(writing: fixture)
        // Generation 1 and 2 are committed: only generation 3 counts from memory.
        let live = LiveData(batches: fixture)
        for request in Self.everyQuery {
            #expect(try json(queries.answer(request, live: live, now: now))
                    == json(expected.answer(request, live: nil, now: now)))
        }
    }

    @Test func journaledBatchesCountOfflineAndLiveOnesAreNotCountedTwice() throws {
        let complete = try TemporaryDatabase()
        let expected = try complete.queries(writing: fixture)
        // Generation 1 is applied; 2 and 3 are durable in the journal only (as a crash leaves them).
        let crashed = try TemporaryDatabase()
        let queries = try crashed.queries(writing: fixture, applying: 1)
        for request in Self.everyQuery {
            let answer = try json(expected.answer(request, live: nil, now: now))
            #expect(try json(queries.answer(request, live: nil, now: now)) == answer)
            // Live, the daemon's memory holds the same batches: they count once.
            #expect(try json(queries.answer(request, live: LiveData(batches: Array(fixture[1...])), now: now))
                    == answer)
        }
    }

    @Test func liveRowsDoNotOutliveTheirAnswer() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries()
        let live = try answer(queries, request(.venues), live: LiveData(batches: fixture),
                              as: [GroupRow].self)
        #expect(live.count == 2)
        #expect(try answer(queries, request(.venues), as: [GroupRow].self).isEmpty)
    }

    // MARK: sources

    @Test func sourcesComeFromTheDatabaseOfflineAndFromMemoryLive() throws {
        var kiosk = SourceState()
        kiosk.highestSeq = 42
        kiosk.lastSeen = now - 10
        kiosk.accepted = 40
        kiosk.rejected = 1
        kiosk.duplicates = 2
        var redirector = kiosk
        redirector.lastSeen = now - 600
        var first = batch(1)
        first.sources = ["kiosk-1": kiosk, "redirector": redirector]
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: [first])

        let offline = try answer(queries, request(.sources), as: [SourceRow].self)
        #expect(offline == [
            SourceRow(source: "kiosk-1", lastSeen: RFC3339.format(now - 10), lastSeq: 42, accepted: 40, rejected: 1,
                      duplicates: 2, test: 0, silent: false, silentFor: 10),
            SourceRow(source: "redirector", lastSeen: RFC3339.format(now - 600), lastSeq: 42, accepted: 40, rejected: 1,
                      duplicates: 2, test: 0, silent: true, silentFor: 600),
        ])
        let strict = try answer(queries, request(.sources, silentAfter: 5), as: [SourceRow].self)
        #expect(strict.map(\.silent) == [true, true])

        kiosk.accepted = 41
        var second = batch(2)
        second.sources = ["kiosk-1": kiosk]
        let live = try answer(queries, request(.sources), live: LiveData(batches: [second]), as: [SourceRow].self)
        #expect(live.map(\.source) == ["kiosk-1", "redirector"] && live[0].accepted == 41)
    }

    // MARK: Errors

    @Test func unknownAdvocateAndShareAreNotFound() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        let advocate = #expect(throws: ControlError.self) { try queries.answer(request(.advocate, id: "zed"), live: nil, now: now) }
        #expect(advocate == ControlError(.notFound, "no advocate 'zed'"))
        let share = #expect(throws: ControlError.self) { try queries.answer(request(.share, id: "never"), live: nil, now: now) }
        #expect(share?.error == .notFound)
    }

    @Test(arguments: [
        (request(.top, by: "likes"), "by"),
        (request(.top, limit: 0), "limit"),
        (request(.advocate), "advocate id"),
        (request(.share, id: ""), "share token"),
        (request(.sources, silentAfter: -1), "silent_after"),
        (request(.venues, filter: QueryFilter(since: t0 + 3600, until: t0)), "since"),
        (ControlRequest(command: .status), "not a query"),
    ])
    func badRequestsNameTheOption(request: ControlRequest, option: String) throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries()
        let error = #expect(throws: ControlError.self) { try queries.answer(request, live: nil, now: now) }
        #expect(error?.error == .badRequest)
        #expect(error?.message.contains(option) == true)
    }

    @Test func aMissingFileOrOneWithoutTheSchemaIsRefused() throws {
        let database = try TemporaryDatabase()
        #expect {
            try Queries(path: database.path)
        } throws: { error in
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason == "No such file or directory"
        }
        let created = try Database(path: database.path, mode: .readWrite)
        #expect {
            try Queries(path: database.path)
        } throws: { error in
            guard case StoreError.notInitialized = error else { return false }
            return true
        }
        // Another application's tables: not a database to start sharetrackd on.
        try created.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        #expect {
            try Queries(path: database.path)
        } throws: { error in
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason.contains("another application's database")
        }
    }

    /// A database of an older schema, which this version's daemon has not migrated yet, is refused
    /// by a reader with what to do, and left as it is.
    @Test func aDatabaseOfAnOlderSchemaIsRefusedWithWhatToDo() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: [fixture[0]])
        try Database(path: database.path, mode: .readWrite).execute("PRAGMA user_version = \(Schema.currentVersion - 1)")
        #expect {
            try Queries(path: database.path)
        } throws: { error in
            "\(error)".hasSuffix("has schema version \(Schema.currentVersion - 1), older than this ShareTrack's "
                                + "(\(Schema.currentVersion)); start this version's sharetrackd on it once to migrate it")
        }
        #expect(try Schema.userVersion(Database(path: database.path, mode: .readOnly)) == Schema.currentVersion - 1)
    }

    @Test func queriesLeaveTheFileAsItIs() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: [fixture[0]])
        let before = try Data(contentsOf: URL(fileURLWithPath: database.path))
        let queries = try Queries(path: database.path)
        for request in Self.everyQuery {
            _ = try? queries.answer(request, live: LiveData(batches: fixture), now: now)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database.path)) == before)
    }

    // MARK: JSON

    @Test func rowsUseTheContractsNames() throws {
        let row = GroupRow(.advocate, "ann", totals: CounterTotals(counters(shares: 1, reach: 200, clicks: 3, unique: 2)))
        #expect(try json(row) == #"{"advocate":"ann","bot_clicks":0,"clicks":3,"conversions":0,"engagement_rate":0.01,"#
                + #""reach":200,"shares":1,"unique_clicks":2,"value":0}"#)
        let tier = GroupRow(.tier, "micro", advocates: 4, totals: CounterTotals())
        #expect(try json(tier).hasPrefix(#"{"advocates":4,"#) && json(tier).contains(#""tier":"micro""#))
        let orphan = ShareReport(share: "o1", attribution: nil, totals: CounterTotals(counters(clicks: 4, conversions: 1)))
        #expect(try json(orphan).contains(#""orphan_clicks":4,"orphan_conversions":1,"reach":0,"share":"o1","shares":0"#))
        #expect(try !json(orphan).contains("advocate"))
    }

    @Test func resultsSurviveTheControlSocket() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: fixture)
        func roundTrip<Result: Codable & Equatable>(_ request: ControlRequest, as type: Result.Type) throws {
            let value = try answer(queries, request, as: Result.self)
            let line = Data(ControlCodec.resultLine(value))
            #expect(try ControlCodec.decodeResult(line, as: Result.self) == value)
        }
        try roundTrip(request(.top), as: [GroupRow].self)
        try roundTrip(request(.tiers), as: [GroupRow].self)
        try roundTrip(request(.advocate, id: "ann"), as: AdvocateReport.self)
        try roundTrip(request(.share, id: "s1"), as: ShareReport.self)
        try roundTrip(request(.share, id: "o1"), as: ShareReport.self)
        try roundTrip(request(.sources), as: [SourceRow].self)
    }
}
