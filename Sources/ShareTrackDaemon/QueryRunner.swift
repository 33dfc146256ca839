import Dispatch
import Glibc
import ShareTrackCore
import ShareTrackStore
import Synchronization

/// Runs the query commands (`top`, `venues`, `sources`, ...) one at a time on a queue of their
/// own, so that a slow one never holds up the control queue (`status`, `metrics`, `flush`,
/// `reload` answer at once whatever queries run), and at most `capacity` at once, running or
/// waiting: one more is refused, so that a burst of them cannot pile up without bound.
final class QueryRunner: Sendable {
    static let capacity = 4

    private let queue = DispatchQueue(label: "sharetrack.queries")
    private let queries: Mutex<Queries>
    private let admitted = Atomic<Int>(0)

    init(_ queries: consuming sending Queries) {
        self.queries = Mutex(queries)
    }

    /// Answers `tiers` once, for no one, ahead of the first question: the count of each tier's
    /// advocates that the first `tiers` answer would make (`TierAdvocateCounts`, 150-260 ms at 2M
    /// shares) is then kept, and the pages the answer reads are cached. For a database whose rollups
    /// are complete (else queries read the raw rows, and this would hold the queue for seconds).
    func prepare() {
        queue.async { [self] in
            queries.withLock { _ = try? $0.answer(ControlRequest(command: .tiers), live: nil, now: Int64(time(nil))) }
        }
    }

    /// Computes an answer with the query engine, later, on the query queue, and hands it to
    /// `deliver` once the query no longer counts against `capacity`; `false` (and nothing runs)
    /// when `capacity` queries are already running or waiting.
    func submit(_ answer: @escaping @Sendable (Queries) -> [UInt8],
                then deliver: @escaping @Sendable ([UInt8]) -> Void) -> Bool {
        guard admitted.add(1, ordering: .relaxed).newValue <= Self.capacity else {
            admitted.subtract(1, ordering: .relaxed)
            return false
        }
        queue.async { [self] in
            let line = queries.withLock { answer($0) }
            admitted.subtract(1, ordering: .relaxed)
            deliver(line)
        }
        return true
    }
}
