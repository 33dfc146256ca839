import Glibc
import ShareTrackCore
import Synchronization

/// Polls the daemon's control socket during a run: every flush's report (`status` shows the last
/// one, so polling a few times per flush interval sees each) and the daemon's resident memory.
///
/// Each `status` costs the daemon a snapshot of its in-memory state; at a few polls per second
/// that is noise, but it is why the interval is not shorter.
final class FlushMonitor {
    struct Observations: Sendable {
        /// Flush reports by generation.
        var flushes: [UInt64: FlushReport] = [:]
        var failedPolls = 0
        var lastError: String?
    }

    /// What the polling thread and the caller share.
    private final class Shared: Sendable {
        let state = Mutex(Observations())
        let stopping = Atomic<Bool>(false)
    }

    private let shared: Shared
    private let thread: BackgroundThread

    /// Starts polling `control` every `interval` seconds on a thread of its own.
    init(control path: String, interval: Double) {
        let shared = Shared()
        self.shared = shared
        thread = BackgroundThread { Self.poll(path, interval: interval, shared) }
    }

    /// Stops polling and returns what it saw.
    func stop() -> Observations {
        shared.stopping.store(true, ordering: .relaxed)
        thread.join()
        return shared.state.withLock { $0 }
    }

    private static func poll(_ path: String, interval: Double, _ shared: Shared) {
        var client: ControlClient?
        while !shared.stopping.load(ordering: .relaxed) {
            do {
                if client == nil { client = try ControlClient(path: path) }
                let status = try client!.status()
                if let flush = status.lastFlush {
                    shared.state.withLock { $0.flushes[flush.generation] = flush }
                }
            } catch {
                client = nil
                shared.state.withLock {
                    $0.failedPolls += 1
                    $0.lastError = "\(error)"
                }
            }
            usleep(useconds_t(interval * 1_000_000))
        }
    }
}
