import Glibc
import Synchronization

/// Ingest at a steady rate on a thread of its own, for `--queries`: the bench workload over the last
/// day, `rate × seconds` events over 4 connections, with a run tag so that its tokens and sources
/// are new to the daemon, and the advocates of the database `DatabaseBuilder` built from `seed`.
final class LiveIngest {
    /// What the sending thread shares with this one.
    private final class Shared: Sendable {
        let running = Atomic<Bool>(true)
        let outcome = Mutex<LoadRunner.Outcome?>(nil)
    }

    private let shared = Shared()
    private let thread: BackgroundThread

    init(rate: Double, seconds: Double, seed: UInt64, socket: String) {
        let now = Int64(time(nil))
        var spec = WorkloadSpec(events: Int(rate * seconds), connections: 4, seed: seed &+ 1, advocateSeed: seed,
                                spanEnd: now / 3600 * 3600, runTag: "live-" + String(now, radix: 36))
        spec.days = 1
        let workload = Workload(spec)
        let shared = shared
        thread = BackgroundThread {
            let result = try? LoadRunner(options: .init(window: 100_000, rate: rate)).run(workload, socket: socket)
            shared.outcome.withLock { $0 = result }
            shared.running.store(false, ordering: .relaxed)
        }
    }

    var isRunning: Bool { shared.running.load(ordering: .relaxed) }

    /// Waits for the stream to end; nil if it failed.
    func finish() -> LoadRunner.Outcome? {
        thread.join()
        return shared.outcome.withLock { $0 }
    }
}
