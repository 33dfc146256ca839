import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// The settings the shared store's answers read with, on a real PostgreSQL: each for the answer's
/// transaction only, the connection's own settings as they were after it.
@Suite("Shared store read settings")
struct SharedReadSettingsTests {
    @Test("top's bounded heap gets 64 MB of work_mem at least, for its transaction only; a larger setting is kept")
    func topWorkMem() throws {
        let (cluster, database, _) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        let workMem = { try connection.query("SHOW work_mem").string(0, 0) }
        let top = ControlRequest(command: .top)
        func workMemDuringTop() throws -> String? {
            try SharedQueries(connection).snapshot {
                _ = try SharedQueries(connection).answer(top, now: 0)
                return try workMem()
            }
        }
        #expect(try workMem() == "4MB")
        #expect(try workMemDuringTop() == "64MB")
        #expect(try workMem() == "4MB")
        try connection.execute("SET work_mem = '128MB'")
        #expect(try workMemDuringTop() == "128MB")
    }

    @Test("top without a filter and tiers over days get 64 MB of work_mem; top ranks without parallel workers, set back after")
    func rangeSettings() throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: 8, nodes: 1, hours: 200)
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        // The ranges below hold as many of the stored hours as they name: the last `hours` of them.
        let stored = try connection.query("SELECT min(hour), max(hour) FROM rollup_hour_places")
        let last = stored.int64(0, 1)
        try #require(last - stored.int64(0, 0) >= 190)
        try connection.execute("SET max_parallel_workers_per_gather = 3")
        func settingsAfter(_ command: ControlRequest.Command, since hours: Int64, network: String? = nil) throws -> [String?] {
            let filter = QueryFilter(network: network, since: (last + 1 - hours) * 3600)
            return try SharedQueries(connection).snapshot {
                let request = ControlRequest(command: command, query: Query(by: "engagement", filter: filter))
                #expect(SharedRollupTests.answer(SharedQueries(connection), request)
                        == SharedRollupTests.answer(SharedQueries(connection, readsRollups: false), request))
                return try ["work_mem", "max_parallel_workers_per_gather"].map {
                    try connection.query("SELECT current_setting('\($0)')").string(0, 0)
                }
            }
        }
        #expect(try settingsAfter(.top, since: 72) == ["64MB", "3"])
        #expect(try settingsAfter(.tiers, since: 72, network: "tiktok") == ["64MB", "3"])
        // Over two days or less, the default; `top` with a filter, or over more than a week, sums at once.
        #expect(try settingsAfter(.top, since: 24) == ["4MB", "3"])
        #expect(try settingsAfter(.tiers, since: 24) == ["4MB", "3"])
        #expect(try settingsAfter(.top, since: 72, network: "tiktok") == ["4MB", "3"])
        #expect(try settingsAfter(.top, since: 190) == ["4MB", "3"])
    }

    @Test("an answer's snapshot reads without JIT compilation, for its transaction only")
    func snapshotWithoutJIT() throws {
        let (cluster, database, _) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        let jit = { try connection.query("SHOW jit").string(0, 0) }
        #expect(try jit() == "on")
        #expect(try SharedQueries(connection).snapshot { try jit() } == "off")
        #expect(try jit() == "on")
        #expect(try SharedQueries(connection).answer(ControlRequest(command: .tiers), now: 0) is [GroupRow])
        #expect(try jit() == "on")
    }
}
