import Foundation
import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The rollups against a straightforward aggregation over the raw rows (`Queries` reading only
/// `temp.attributed`, the counter rows joined with their shares), on random data, filters and
/// ranges: both must give the same answers, byte for byte.
@Suite struct RollupTests {
    static let hour0: Int64 = 1_795_809_600 / 3600

    /// Random batches: shares of 40 tokens by 7 advocates over `hours` hours, each token shared at
    /// most once (some never), and counter deltas on random tokens, so that many clicks arrive
    /// before their share (orphans) and some tokens stay orphans. `oneGroupPerAdvocate`: each
    /// advocate always shares on the same network with the same followers (one advocate group each).
    static func batches(seed: UInt64, count: Int, oneGroupPerAdvocate: Bool = false, hours: Int64 = 12) -> [Batch] {
        var random = SplitMix(seed: seed)
        var unshared = Array(0..<40).shuffled(using: &random)
        return (1...count).map { generation in
            var batch = Batch(generation: UInt64(generation))
            for _ in 0..<Int.random(in: 0...4, using: &random) where unshared.count > 6 {
                let token = "t\(unshared.removeLast())"
                let followers = [10, 800, 3_000, 50_000, 400_000, 2_000_000].randomElement(using: &random)!
                let hour = hour0 + Int64.random(in: 0..<hours, using: &random)
                let advocate = Int.random(in: 0..<7, using: &random)
                var attributes = ShareAttributes(
                    advocate: "a\(advocate)", venue: "v\(Int.random(in: 0..<3, using: &random))",
                    campaign: ["c1", "c2", nil].randomElement(using: &random)!,
                    network: ["instagram", "tiktok"].randomElement(using: &random)!, followers: followers)
                if oneGroupPerAdvocate {
                    attributes.network = advocate % 2 == 0 ? "instagram" : "tiktok"
                    attributes.followers = [10, 800, 3_000, 50_000, 400_000, 2_000_000, 0][advocate]
                }
                batch.add(ShareRecord(token: token, attributes: attributes,
                                      tier: TierBounds.default.tier(forFollowers: attributes.followers), time: hour * 3600 + 5))
                var counters = Counters()
                counters.shares = 1
                counters.reach = Int64(attributes.followers)
                batch.add(counters, at: CounterKey(token: token, hour: hour))
            }
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                var counters = Counters()
                counters.clicks = Int64.random(in: 0...5, using: &random)
                counters.uniqueClicks = Int64.random(in: 0...counters.clicks, using: &random)
                counters.botClicks = Int64.random(in: 0...1, using: &random)
                counters.conversions = Int64.random(in: 0...1, using: &random)
                counters.value = Money(thousandths: Int64.random(in: 0...400, using: &random) * 250 * counters.conversions)
                if counters.clicks + counters.botClicks + counters.conversions == 0 { counters.clicks = 1 }
                let hour = hour0 + Int64.random(in: 0..<hours, using: &random)
                batch.add(counters, at: CounterKey(token: "t\(Int.random(in: 0..<40, using: &random))", hour: hour))
            }
            batch.events = 1
            return batch
        }
    }

    /// Random requests: every query command with random filters and ranges (`allTime`: only `top`
    /// over all time, filtered by a venue, a campaign, a network and a tier at most).
    static func requests(seed: UInt64, count: Int, allTime: Bool = false) -> [ControlRequest] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let since = Bool.random(using: &random) ? (hour0 + Int64.random(in: -1..<12, using: &random)) * 3600 : nil
            let until = Bool.random(using: &random) ? (since ?? hour0 * 3600) + Int64.random(in: 1...40_000, using: &random) : nil
            func maybe<T>(_ values: [T]) -> T? { Int.random(in: 0..<3, using: &random) == 0 ? values.randomElement(using: &random) : nil }
            var filter = QueryFilter(venue: maybe(["v0", "v1", "v2"]), campaign: maybe(["c1", "c2"]),
                                     network: maybe(["instagram", "tiktok"]), tier: maybe(Tier.allCases),
                                     since: since, until: until)
            var command: ControlRequest.Command = [.top, .venues, .tiers, .advocate, .share, .trend].randomElement(using: &random)!
            if allTime {
                filter = QueryFilter(venue: filter.venue, campaign: filter.campaign, network: filter.network, tier: filter.tier)
                command = .top
            }
            return ControlRequest(command: command, query: Query(
                id: command == .advocate ? "a\(Int.random(in: 0..<8, using: &random))" : "t\(Int.random(in: 0..<42, using: &random))",
                by: Ranking.allCases.randomElement(using: &random)!.rawValue, limit: Int.random(in: 1...8, using: &random),
                filter: filter))
        }
    }

    /// An answer as JSON, or its error.
    static func answer(_ queries: Queries, _ request: ControlRequest, _ live: LiveData) -> String {
        do {
            let result = try queries.answer(request, live: live, now: 0)
            return String(decoding: try ControlCodec.encoder().encode(result), as: UTF8.self)
        } catch {
            return "error: \(error)"
        }
    }

    /// Every request answered from the rollups (by `fast`, or a new `Queries`) equals the answer
    /// from the raw rows.
    static func expectSameAnswers(_ database: TemporaryDatabase, live: [Batch], seed: UInt64,
                                  fast: Queries? = nil, count: Int = 150, allTime: Bool = false) throws {
        let fast = try fast ?? Queries(path: database.path, readsRollups: true)
        let raw = try Queries(path: database.path, readsRollups: false)
        let liveData = LiveData(batches: live)
        for request in requests(seed: seed, count: count, allTime: allTime) {
            let expected = answer(raw, request, liveData)
            #expect(answer(fast, request, liveData) == expected, "\(request)")
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func rollupsAnswerLikeTheRawRows(seed: UInt64) throws {
        let database = try TemporaryDatabase()
        let batches = Self.batches(seed: seed, count: 14)
        // The first ten batches applied, the rest live (some journaled, some only in memory).
        _ = try database.queries(writing: Array(batches.prefix(12)), applying: 10)
        #expect(try Store(path: database.path, visitorKey: testKey).rollupsComplete)
        try Self.expectSameAnswers(database, live: Array(batches.suffix(4)), seed: seed &* 7)
    }

    /// The first `part` of `batch`'s shares and counter rows, under its generation: the daemon's
    /// pending batch before it has grown into `batch`.
    static func part(of batch: Batch, _ part: Double) -> Batch {
        var partial = Batch(generation: batch.generation)
        for share in batch.shares.prefix(Int(Double(batch.shares.count) * part)) { partial.add(share) }
        for (key, counters) in batch.counters.sorted(by: { $0.key.token < $1.key.token || $0.key.token == $1.key.token && $0.key.hour < $1.key.hour })
            .prefix(Int(Double(batch.counters.count) * part)) {
            partial.add(counters, at: key)
        }
        partial.events = 1
        return partial
    }

    /// One `Queries` keeps each final live batch's groups until it is applied: its answers stay
    /// exact as batches arrive (the last one growing first, like the daemon's pending batch) and
    /// are applied one by one.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func keptLiveGroupsStayExactAsBatchesArriveAndAreApplied(seed: UInt64) throws {
        try Self.expectExactAsBatchesArrive(Self.batches(seed: seed, count: 16), seed: seed)
    }

    /// One `Queries` answers like the raw rows while `batches` arrive (the last one growing first,
    /// like the daemon's pending batch) and are applied one by one, the first three applied first.
    /// `topDepth`, `keptWhileReading`: the fast `Queries`' (see `Queries.defaultTopDepth` and
    /// `Queries.defaultKeptWhileReading`); `keptAdvocates`: the most advocates whose totals it keeps
    /// in memory (`StoredAdvocates.limit`; 0: `top` without a filter reads the rollups in SQL).
    static func expectExactAsBatchesArrive(_ batches: [Batch], seed: UInt64, allTime: Bool = false,
                                           topDepth: Int = Queries.defaultTopDepth,
                                           keptWhileReading: Int = Queries.defaultKeptWhileReading,
                                           keptAdvocates: Int = AttributionCache.capacity) throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: Array(batches.prefix(3)))
        let store = try Store(path: database.path, visitorKey: testKey)
        let fast = try Queries(path: database.path, readsRollups: true)
        fast.topDepth = topDepth
        fast.keptWhileReading = keptWhileReading
        fast.live.storedAdvocates.limit = keptAdvocates
        var applied = 3
        var arrived = 5
        var step: UInt64 = 0
        while applied < batches.count {
            step += 1
            if arrived < batches.count {
                let live = Array(batches[applied..<arrived]) + [part(of: batches[arrived], 0.5)]
                try expectSameAnswers(database, live: live, seed: seed &* 100 &+ step, fast: fast, count: 40,
                                      allTime: allTime)
                arrived += 1
            }
            try expectSameAnswers(database, live: Array(batches[applied..<arrived]), seed: seed &* 200 &+ step,
                                  fast: fast, count: 40, allTime: allTime)
            try store.apply(batches[applied])
            applied += 1
        }
    }

    /// A database with the first three of `batches` applied, the store to apply the others with,
    /// and one `Queries` reading the rollups (`fast`), one the raw rows.
    struct ThreeApplied {
        let database: TemporaryDatabase
        let store: Store
        let fast: Queries
        let raw: Queries

        init(_ batches: [Batch]) throws {
            database = try TemporaryDatabase()
            _ = try database.queries(writing: Array(batches.prefix(3)))
            store = try Store(path: database.path, visitorKey: testKey)
            fast = try Queries(path: database.path, readsRollups: true)
            raw = try Queries(path: database.path, readsRollups: false)
        }
    }

    /// A database of schema 7, 8, 10 or 12 gets the rollups added since (per hour alone, version
    /// 8; per advocate alone, 9; per advocate and venue, 11; per advocate and campaign, 13) summed
    /// in steps (`RollupBuilds`) from its rollups of every attribute while batches keep coming. A
    /// trend of everything, `top` over every advocate, at one venue and for one campaign read them
    /// once they are built, and answer as the raw rows do throughout.
    @Test(arguments: [7, 8, 10, 12] as [Int64])
    func aDatabaseOfAnOlderVersionGetsItsNewerRollups(version: Int64) throws {
        let database = try TemporaryDatabase()
        let batches = Self.batches(seed: 7, count: 16)
        _ = try database.queries(writing: Array(batches.prefix(10)))
        let old = try Database(path: database.path, mode: .readWrite)
        switch version {
        case 12: try old.backToVersionTwelve()
        case 10: try old.backToVersionTen()
        default:
            try old.backToVersionNine()
            try old.execute("DROP TABLE rollup_advocate_totals; DROP TABLE advocate_alone_groups;"
                            + (version == 7 ? "DROP TABLE rollup_hours;" : "") + "PRAGMA user_version = \(version);")
        }
        let built = (version < 10 ? ["rollup_advocate_totals"] : []) + (version < 12 ? ["rollup_venue_advocates"] : [])
            + ["rollup_campaign_advocates"] + (version == 7 ? ["rollup_hours"] : [])
        // Made last, whole, in a step of its own each.
        let indexes = ["share_groups_by_campaign_tier", "share_groups_by_venue_tier_campaign"]

        let store = try Store(path: database.path, visitorKey: testKey)
        #expect(store.rollupsReadable && !store.rollupsComplete)
        let migrated = try Database(path: database.path, mode: .readOnly)
        func sums(_ sql: String) throws -> [[Int64]] { try migrated.prepare(sql).rows { [$0.int64(0), $0.int64(1)] } }
        #expect(try migrated.prepare("SELECT rollup FROM rollup_builds ORDER BY rollup").rows { $0.string(0) } == built.sorted())
        #expect(store.rollupsBuilding == built + indexes)
        for table in built { #expect(try sums("SELECT count(*), 0 FROM \(table)") == [[0, 0]], "\(table)") }
        try Self.expectSameAnswers(database, live: [], seed: 70)
        // A few rows of the source a step, and a batch (new groups and old) after every other step;
        // the second one also forgets an advocate (renamed in the groups built and those not yet).
        func marks() throws -> [String: Int64] {
            try Dictionary(uniqueKeysWithValues: migrated.prepare("SELECT rollup, built_through FROM rollup_builds")
                .rows { ($0.string(0) ?? "", $0.int64(1)) })
        }
        var steps = 0
        var more = batches.dropFirst(10)
        var before = try marks()
        while try !store.buildRollups(rows: 3) {
            steps += 1
            // The step took the next 3 rows of its source in share group order, and the last one's
            // group's other rows (its other hours).
            let after = try marks()
            for (table, mark) in after where before[table] != mark {
                let source = table == "rollup_hours" ? "rollup_hour_groups" : "rollup_groups"
                let taken = try sums("""
                    SELECT count(*) FILTER (WHERE id < \(mark)), count(*) FROM \(source)
                    WHERE id > \(before[table] ?? 0) AND id <= \(mark)
                    """)[0]
                #expect(taken[0] < 3 && taken[1] >= 3, "\(table) from \(before[table] ?? 0) through \(mark): \(taken)")
            }
            before = after
            if steps.isMultiple(of: 2), let batch = more.popFirst() {
                try store.apply(steps == 4 ? Self.forgetting("a2", before: batch) : batch)
            }
            try Self.expectSameAnswers(database, live: Array(more.prefix(1)), seed: 72 + UInt64(steps), count: 30,
                                       allTime: !steps.isMultiple(of: 3))
        }
        #expect(steps > 5 * built.count)
        #expect(try sums("SELECT count(*), 0 FROM rollup_builds") == [[0, 0]] && store.rollupsBuilding.isEmpty)
        for index in indexes {
            #expect(try sums("SELECT count(*), 0 FROM sqlite_master WHERE name = '\(index)'") == [[1, 0]], "\(index)")
        }
        #expect(try sums("SELECT count(*), 0 FROM sqlite_master WHERE name = 'share_groups_by_venue'") == [[0, 0]])
        for groups in ["venue_advocate_groups", "campaign_advocate_groups"] {
            #expect(try sums("SELECT count(*), 0 FROM \(groups) WHERE advocate = 'forgotten-a2'")[0][0] > 0, "\(groups)")
        }
        for batch in more { try store.apply(batch) }
        let everyAttribute = "rollup_groups JOIN share_groups USING (id)"
        let expected = [
            ("rollup_venue_advocates", "count(DISTINCT advocate || ' ' || venue)", everyAttribute),
            ("rollup_campaign_advocates", "count(DISTINCT advocate || ' ' || campaign)", everyAttribute),
            ("rollup_advocate_totals", "count(DISTINCT advocate)", everyAttribute),
            ("rollup_hours", "count(DISTINCT hour)", "rollup_hour_groups"),
        ]
        for (table, rows, source) in expected {
            let rollup = try sums("SELECT count(*), sum(clicks) FROM \(table)")
            let summed = try sums("SELECT \(rows), sum(clicks) FROM \(source)")
            #expect(rollup == summed && summed[0][0] > 5, "\(table): \(rollup) \(summed)")
        }
        try Self.expectSameAnswers(database, live: [], seed: 71)
        try Self.expectSameAnswers(database, live: [], seed: 73, allTime: true)
    }

    /// A build stopped in the middle (the daemon stopped) goes on from its mark at the next start:
    /// each share group's counters are in the rollup once.
    @Test func aBuildStoppedInTheMiddleGoesOnFromItsMark() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: Self.batches(seed: 9, count: 8))
        try Database(path: database.path, mode: .readWrite).backToVersionTwelve()
        do {
            let store = try Store(path: database.path, visitorKey: testKey)
            #expect(try !store.buildRollups(rows: 5))
        }
        let marks = try Database(path: database.path, mode: .readOnly).prepare("SELECT built_through FROM rollup_builds")
        #expect(try marks.rows { $0.int64(0) } == [5])
        let store = try Store(path: database.path, visitorKey: testKey)
        while try !store.buildRollups(rows: 5) {}
        let sums = try Database(path: database.path, mode: .readOnly).prepare("""
            SELECT (SELECT sum(clicks) FROM rollup_campaign_advocates), (SELECT sum(clicks) FROM rollup_groups),
                (SELECT count(*) FROM rollup_campaign_advocates),
                (SELECT count(DISTINCT advocate || ' ' || campaign) FROM share_groups)
            """).rows { [$0.int64(0), $0.int64(1), $0.int64(2), $0.int64(3)] }
        #expect(sums.count == 1 && sums[0][0] == sums[0][1] && sums[0][2] == sums[0][3] && sums[0][2] > 5, "\(sums)")
    }

    /// `batch` led by the erasure of `advocate` (`sharectl forget --advocate`).
    static func forgetting(_ advocate: String, before batch: Batch) -> Batch {
        var erasing = Batch(generation: batch.generation)
        erasing.add(SealedErasure(.advocate(id: advocate, pseudonym: "forgotten-\(advocate)"), key: testKey))
        for share in batch.shares { erasing.add(share) }
        for (key, counters) in batch.counters { erasing.add(counters, at: key) }
        erasing.events = batch.events
        return erasing
    }

    /// A database of version 15 or 16 gets its share groups indexed by campaign and by venue with
    /// the network at the ends (version 17), each in a step of the build that drops the indexes it
    /// replaces, after its rollup per advocate and campaign is summed again (version 18); the
    /// answers are the same before, while and after.
    @Test(arguments: [15, 16] as [Int64])
    func aDatabaseOfVersionFifteenOrSixteenGetsTheIndexesWithTheNetwork(version: Int64) throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: Self.batches(seed: 10, count: 6))
        let older = try Database(path: database.path, mode: .readWrite)
        try version == 15 ? older.backToVersionFifteen() : older.backToVersionSixteen()
        let store = try Store(path: database.path, visitorKey: testKey)
        let added = ["share_groups_by_campaign_tier", "share_groups_by_venue_tier_campaign"]
        #expect(store.rollupsReadable && store.rollupsBuilding == ["rollup_campaign_advocates"] + added)
        let indexes = try Database(path: database.path, mode: .readOnly).prepare(
            "SELECT name FROM sqlite_master WHERE name LIKE 'share_groups_by_%' AND name <> 'share_groups_by_key' ORDER BY name")
        #expect(try indexes.rows { $0.string(0) } == ["share_groups_by_campaign"]
                + (version == 15 ? ["share_groups_by_venue", "share_groups_by_venue_campaign"] : ["share_groups_by_venue_tier"]))
        try Self.expectSameAnswers(database, live: [], seed: 100, allTime: true)
        #expect(try !store.buildRollups())
        #expect(store.rollupsBuilding == added)
        #expect(try !store.buildRollups())
        #expect(try indexes.rows { $0.string(0) }.first == added[0])
        try Self.expectSameAnswers(database, live: [], seed: 101, allTime: true)
        #expect(try store.buildRollups())
        #expect(try indexes.rows { $0.string(0) } == added)
        try Self.expectSameAnswers(database, live: [], seed: 102)
        try Self.expectSameAnswers(database, live: [], seed: 103, allTime: true)
    }

    /// A database of version 11 as first released (its rollup per advocate and venue summed at
    /// once by the migration, no `rollup_builds`) has none of its rollups to build at version 12,
    /// only version 13's (and the indexes of 14 and 16).
    @Test func aDatabaseOfVersionElevenBuildsOnlyTheRollupsAddedSince() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: Self.batches(seed: 8, count: 4))
        do {
            let older = try Database(path: database.path, mode: .readWrite)
            try older.backToVersionTwelve()
            try older.execute("DROP TABLE rollup_builds; PRAGMA user_version = 11")
        }
        #expect(try Store(path: database.path, visitorKey: testKey).rollupsBuilding
                == ["rollup_campaign_advocates", "share_groups_by_campaign_tier", "share_groups_by_venue_tier_campaign"])
        try Self.expectSameAnswers(database, live: [], seed: 80, allTime: true)
    }

    /// A database of schema 4 (before the rollups) or 5 (rollups keyed by text) migrates to
    /// rollups keyed by group ids, built while batches keep coming.
    @Test(arguments: [4, 5] as [Int64])
    func anOlderDatabaseGetsItsRollupsBuiltWhileBatchesKeepComing(version: Int64) throws {
        let database = try TemporaryDatabase()
        let batches = Self.batches(seed: 9, count: 16)
        _ = try database.queries(writing: Array(batches.prefix(8)))
        let old = try Database(path: database.path, mode: .readWrite)
        try old.backToVersionNine()
        try old.execute((Rollup.all.map(\.table) + GroupTable.all.map(\.table)).map { "DROP TABLE IF EXISTS \($0);" }.joined())
        if version == 4 {
            try old.execute("DROP TABLE rollup_progress; DELETE FROM meta WHERE key = 'advocates_renamed';")
        } else {
            // Version 5's tables, complete (no build in progress), with rows the migration must drop.
            try old.execute("""
                CREATE TABLE rollup_hour_places (hour INTEGER NOT NULL, venue TEXT NOT NULL, clicks INTEGER NOT NULL);
                CREATE TABLE rollup_hour_groups (hour INTEGER NOT NULL, advocate TEXT NOT NULL, clicks INTEGER NOT NULL);
                CREATE TABLE rollup_places (venue TEXT NOT NULL, clicks INTEGER NOT NULL);
                CREATE TABLE rollup_advocates (advocate TEXT NOT NULL, clicks INTEGER NOT NULL);
                INSERT INTO rollup_advocates VALUES ('a1', 1000000);
                DELETE FROM rollup_progress;
                """)
        }
        try old.execute("PRAGMA user_version = \(version)")

        let store = try Store(path: database.path, visitorKey: testKey)
        #expect(store.rollupsBuilding == Rollup.all.map(\.table))
        var steps = 0
        for batch in batches.dropFirst(8) {
            try store.apply(batch)
            // Until the build is done, answers come from the raw rows, and are just as right.
            try Self.expectSameAnswers(database, live: [], seed: UInt64(steps))
            if try !store.buildRollups(shares: 3) { steps += 1 }
        }
        while try !store.buildRollups(shares: 3) { steps += 1 }
        #expect(steps > 3)
        #expect(store.rollupsComplete)
        try Self.expectSameAnswers(database, live: [], seed: 99)
        let hours = try Database(path: database.path, mode: .readOnly).prepare("SELECT COUNT(*) FROM rollup_hour_groups")
        #expect(try hours.rows { $0.int64(0) }.first ?? 0 > 0)
    }

    @Test func aForgottenAdvocateIsRenamedInTheRollupsAndInLiveAnswers() throws {
        let database = try TemporaryDatabase()
        let batches = Self.batches(seed: 5, count: 10)
        let queries = try database.queries(writing: batches)
        var more = Self.batches(seed: 6, count: 12).dropFirst(10).map { batch in
            // Clicks only: every token of seed 6's shares may be shared already.
            var renumbered = Batch(generation: batch.generation + 1)
            for (key, counters) in batch.counters where counters.shares == 0 { renumbered.add(counters, at: key) }
            return renumbered
        }
        // And a click on a share of the advocate to forget.
        let token = try Database(path: database.path, mode: .readOnly)
            .prepare("SELECT token FROM shares WHERE advocate = 'a3' LIMIT 1").rows { $0.string(0) ?? "" }.first
        var click = Counters()
        click.clicks = 1
        more[more.count - 1].add(click, at: CounterKey(token: try #require(token), hour: Self.hour0))
        let top = ControlRequest(command: .top, query: Query(limit: 10))
        // With live batches: the attribution cache numbers their groups, and each answer's kind
        // remembers their projections.
        let live = LiveData(batches: Array(more))
        #expect(Self.answer(queries, top, live).contains("\"a3\""))
        let tiers = ControlRequest(command: .tiers, query: Query())
        #expect(Self.answer(queries, tiers, live).contains("\"advocates\""))  // counted by `AdvocateGroupCounts`
        // A new group of a3's, live, in a tier a3 has: `tiers` finds the pair stored and remembers
        // it (`StoredPairs`), until a3 is forgotten: then the pair is a new one.
        let sharedBefore = try Database(path: database.path, mode: .readOnly)
            .prepare("SELECT network, followers FROM shares WHERE advocate = 'a3' LIMIT 1").rows { ($0.string(0) ?? "", $0.int64(1)) }
        let (network, followers) = try #require(sharedBefore.first)
        var newGroup = Batch(generation: 14)
        let attributes = ShareAttributes(advocate: "a3", venue: "v9", campaign: nil, network: network, followers: Int(followers))
        newGroup.add(ShareRecord(token: "n1", attributes: attributes, tier: TierBounds.default.tier(forFollowers: Int(followers)),
                                 time: Self.hour0 * 3600))
        var reach = Counters()
        reach.shares = 1
        reach.reach = followers
        newGroup.add(reach, at: CounterKey(token: "n1", hour: Self.hour0))
        newGroup.events = 1
        let withNewGroup = LiveData(batches: Array(more) + [newGroup])
        let (pairs, raw) = (try Queries(path: database.path, readsRollups: true), try Queries(path: database.path, readsRollups: false))
        #expect(Self.answer(pairs, tiers, withNewGroup) == Self.answer(raw, tiers, withNewGroup))

        var erasure = Batch(generation: 11)
        erasure.add(SealedErasure(.advocate(id: "a3", pseudonym: "forgotten-000000000003"), key: testKey))
        let store = try Store(path: database.path, visitorKey: testKey)
        try store.apply(erasure)
        #expect(!Self.answer(queries, top, live).contains("\"a3\""))
        #expect(Self.answer(pairs, tiers, withNewGroup) == Self.answer(raw, tiers, withNewGroup))
        try Self.expectSameAnswers(database, live: Array(more), seed: 5)
        try Self.expectSameAnswers(database, live: Array(more), seed: 5, fast: queries)
        let named = (GroupTable.all.filter { $0.attributes.contains("advocate") }.map(\.table)
                     + Rollup.all.filter { $0.repeatedAttributes(.sqlite).contains("advocate") }.map(\.table))
            .map { "(SELECT COUNT(*) FROM \($0) WHERE advocate = 'a3')" }
        #expect(named.count == 6)
        let rows = try Database(path: database.path, mode: .readOnly)
            .prepare("SELECT " + named.joined(separator: " + ")).rows { $0.int64(0) }
        #expect(rows == [0])
    }
}
