import Foundation
import ShareTrackCore
import ShareTrackStore
import Synchronization
import Testing

@testable import ShareTrackDaemon

/// When the query runner keeps the query engine's state following the batches (`keepUp`) before
/// anyone asks: after a start whose prepared answers took `worthKeepingUp` or longer, and after
/// any question.
@Suite struct QueryRunnerTests {
    /// A runner over a new, empty database; removed with the directory at the end of `body`.
    static func withRunner(worthKeepingUp: Duration, _ body: (QueryRunner) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sharetrack.db").path
        let key = try #require(VisitorKey(bytes: [UInt8](repeating: 7, count: VisitorKey.size)))
        _ = try Store(path: path, visitorKey: key)
        try body(QueryRunner(try Queries(path: path), worthKeepingUp: worthKeepingUp))
    }

    /// Whether `runner` keeps up within a second: asked again every 10 ms, as the flusher does
    /// after each flush.
    static func keepsUp(_ runner: QueryRunner) -> Bool {
        let kept = Atomic<Bool>(false)
        for _ in 0..<100 where !kept.load(ordering: .acquiring) {
            runner.keepUp { _ in
                kept.store(true, ordering: .releasing)
                return LiveData(batches: [])
            }
            usleep(10_000)
        }
        return kept.load(ordering: .acquiring)
    }

    @Test(arguments: [(Duration.zero, true), (Duration.seconds(3_600), false)])
    func theStartKeepsUpOnlyAnswersThatWereSlowToPrepare(worthKeepingUp: Duration, keptFromTheStart: Bool) throws {
        try Self.withRunner(worthKeepingUp: worthKeepingUp) { runner in
            runner.prepare()
            #expect(Self.keepsUp(runner) == keptFromTheStart)
            let answered = DispatchSemaphore(value: 0)
            let submitted = runner.submit({ _ in [] }, then: { _ in answered.signal() })
            #expect(submitted)
            answered.wait()
            #expect(Self.keepsUp(runner))
        }
    }

    @Test func nothingIsKeptUpBeforeAStartPreparesOrAnyoneAsks() throws {
        try Self.withRunner(worthKeepingUp: .zero) { runner in
            #expect(!Self.keepsUp(runner))
        }
    }
}
