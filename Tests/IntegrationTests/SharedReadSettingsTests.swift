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
