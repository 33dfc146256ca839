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

    @Test("top over a day without a filter ranks with 64 MB of work_mem and no parallel workers, which it sets back")
    func rankedFirstSettings() throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(1)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: 8, nodes: 1, hours: 200)
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        let hour0 = RandomChain.hour0
        try connection.execute("SET max_parallel_workers_per_gather = 3")
        func settingsAfter(_ filter: QueryFilter) throws -> [String?] {
            try SharedQueries(connection).snapshot {
                let request = ControlRequest(command: .top, query: Query(by: "engagement", filter: filter))
                #expect(SharedRollupTests.answer(SharedQueries(connection), request)
                        == SharedRollupTests.answer(SharedQueries(connection, readsRollups: false), request))
                return try ["work_mem", "max_parallel_workers_per_gather"].map {
                    try connection.query("SELECT current_setting('\($0)')").string(0, 0)
                }
            }
        }
        #expect(try settingsAfter(QueryFilter(since: (hour0 + 176) * 3600)) == ["64MB", "3"])
        // With a filter, or over more than a week of stored hours, the advocates are summed and ranked at once.
        #expect(try settingsAfter(QueryFilter(network: "tiktok", since: (hour0 + 176) * 3600)) == ["4MB", "3"])
        #expect(try settingsAfter(QueryFilter(since: (hour0 + 10) * 3600)) == ["4MB", "3"])
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
