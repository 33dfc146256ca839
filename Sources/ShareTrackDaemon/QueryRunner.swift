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
    private let keepUpWaiting = Atomic<Bool>(false)
    /// When the last query was submitted, or the start's `prepare()` began if it was worth keeping
    /// up (nil: neither).
    private let lastQuery = Mutex<ContinuousClock.Instant?>(nil)
    /// How long after the last query `keepUp` keeps doing its work.
    static let keepUpWindow = Duration.seconds(600)
    /// `prepare()`'s answers taking at least this long make its work worth keeping up before anyone
    /// asks: below it, the first answers read what they need again about as quickly, and ingest
    /// does not pay for following every batch meanwhile (`make bench`, on a new database:
    /// docs/benchmarks.md, round 22). 50 ms by default.
    let worthKeepingUp: Duration

    init(_ queries: consuming sending Queries, worthKeepingUp: Duration = .milliseconds(50)) {
        self.queries = Mutex(queries)
        self.worthKeepingUp = worthKeepingUp
    }

    /// Answers `tiers`, `top` and `top --since 24h` once each, for no one, ahead of the first
    /// question, so that what their first answers would make is kept, and the pages they read are
    /// cached: the count of each tier's advocates (`TierAdvocateCounts`, 150-260 ms at 2M shares),
    /// every advocate's totals (`StoredAdvocates`, 140-170 ms and ~20 MiB at 2M shares: the daemon
    /// grows by that as it starts, not during someone's query), and the last day's sums per group
    /// (`StoredSums`, 100-200 ms and ~10 MiB), which every answer over about the last day reads,
    /// slid from one hour to the next while questions keep coming: kept up for `keepUpWindow` as if
    /// asked now, if it took `worthKeepingUp` or longer. Then counts each advocate's group rows
    /// (`Queries.countAdvocateGroups`), which answers keep up with on their own. For a database
    /// whose rollups hold every share's counters (else queries read the raw rows, and this would
    /// hold the queue for seconds).
    func prepare() {
        queue.async { [self] in
            let started = ContinuousClock.now
            queries.withLock { queries in
                let now = Int64(time(nil))
                for request in [ControlRequest(command: .tiers), ControlRequest(command: .top),
                                ControlRequest(command: .top, query: Query(filter: QueryFilter(since: now - 86_400)))] {
                    _ = try? queries.answer(request, live: nil, now: now)
                }
            }
            if ContinuousClock.now - started >= worthKeepingUp { lastQuery.withLock { $0 = $0 ?? started } }
            queries.withLock { try? $0.countAdvocateGroups() }
        }
    }

    /// Has the query engine keep what it keeps in memory following the batches (`Queries.keepUp`),
    /// later, on the query queue, with the batches `live` gives then; once at a time (a call while
    /// one waits does nothing), and only up to `keepUpWindow` after the last query: past that,
    /// the next query reads what it needs again rather than ingest paying for it all along.
    func keepUp(_ live: @escaping @Sendable (Queries) -> LiveData) {
        guard let last = lastQuery.withLock({ $0 }), ContinuousClock.now - last <= Self.keepUpWindow,
              !keepUpWaiting.exchange(true, ordering: .acquiringAndReleasing)
        else { return }
        queue.async { [self] in
            keepUpWaiting.store(false, ordering: .releasing)
            queries.withLock { $0.keepUp(live: live($0)) }
        }
    }

    /// Computes an answer with the query engine, later, on the query queue, and hands it to
    /// `deliver` once the query no longer counts against `capacity`; `false` (and nothing runs)
    /// when `capacity` queries are already running or waiting.
    func submit(_ answer: @escaping @Sendable (Queries) -> [UInt8],
                then deliver: @escaping @Sendable ([UInt8]) -> Void) -> Bool {
        lastQuery.withLock { $0 = .now }
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
