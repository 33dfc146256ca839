import Glibc
import Prometheus
import ShareTrackCore
import Synchronization

/// The daemon's own metrics, in a swift-prometheus registry, each with its `# HELP` line (made
/// through the registry itself: swift-metrics' factory gives them none, and a family's help
/// cannot differ between its series).
///
/// Ingest does not touch a metric per event: once a second (and before every `metrics` answer)
/// the running totals are turned into counter increments, so the hot path stays free of it.
final class DaemonMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let reported = Mutex((totals: IngestTotals(), connections: 0, refused: 0))
    private let flushDuration: DurationHistogram
    private let flushRows: ValueHistogram
    private let flushFailures: Counter
    private let accepted: [EventType: Counter]
    private let rejected: [ErrorCode: Counter]
    private let duplicates: Counter
    private let orphans: Counter
    private let test: Counter
    private let connectionsTotal: Counter
    private let connectionsOpen: Gauge
    private let connectionsRefused: Counter
    private let pendingEvents: Gauge
    private let pendingKeys: Gauge
    private let cachedTokens: Gauge
    private let residentMemory: Gauge

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        /// `sharetrack_` + `name` + `_` + `unit` (where there is one).
        func named(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "sharetrack", metricName: name, unitName: unit, helpText: help)
        }
        flushDuration = registry.makeDurationHistogram(
            descriptor: named("flush_duration", "seconds", "Journal commits of a flush (what an ack: commit answer waits for)."),
            buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map { .milliseconds($0) })
        flushRows = registry.makeValueHistogram(descriptor: named("flush", "rows", "Rows a flush wrote."),
                                                buckets: [10, 100, 1000, 10000, 100_000, 1_000_000])
        flushFailures = registry.makeCounter(descriptor: named("flush_failures", "total", "Flushes that failed (and are retried)."))
        let acceptedName = named("events_accepted", "total", "Events accepted, by type (duplicates and test events not included).")
        accepted = Dictionary(uniqueKeysWithValues: EventType.allCases.map { type in
            (type, registry.makeCounter(descriptor: acceptedName, labels: [("type", type.rawValue)]))
        })
        let rejectedName = named("events_rejected", "total", "Lines rejected, by error code.")
        rejected = Dictionary(uniqueKeysWithValues: ErrorCode.allCases.map { code in
            (code, registry.makeCounter(descriptor: rejectedName, labels: [("code", code.rawValue)]))
        })
        duplicates = registry.makeCounter(descriptor: named("events_duplicate", "total",
                                                            "Lines answered duplicate (already counted), counting nothing."))
        orphans = registry.makeCounter(descriptor: named("orphans", "total",
                                                         "Clicks and conversions accepted before their share was known."))
        test = registry.makeCounter(descriptor: named("events_test", "total", "Test events (\"test\": true), counting nothing."))
        connectionsTotal = registry.makeCounter(descriptor: named("connections", "total", "Ingest connections accepted."))
        connectionsOpen = registry.makeGauge(descriptor: named("connections_open", "", "Ingest connections open now."))
        connectionsRefused = registry.makeCounter(descriptor: named(
            "connections_refused", "total", "Ingest connections refused (over max_connections, or out of file descriptors)."))
        pendingEvents = registry.makeGauge(descriptor: named("pending_events", "", "Events in memory, not yet committed."))
        pendingKeys = registry.makeGauge(descriptor: named("pending_keys", "", "Counter rows in memory, not yet committed."))
        cachedTokens = registry.makeGauge(descriptor: named("cached_tokens", "", "Share tokens held in memory."))
        residentMemory = registry.makeGauge(descriptor: named("resident_memory", "bytes", "The daemon's resident memory."))
    }

    func recordFlush(_ report: FlushReport) {
        if report.error != nil {
            flushFailures.increment()
        } else {
            flushDuration.recordNanoseconds(Int64(report.durationSeconds * 1e9))
            flushRows.record(Double(report.rows))
        }
    }

    /// Brings the counters and gauges up to date with the daemon's state, which `current` reads
    /// under this object's lock: the ticker and a `metrics` answer update at once, and a state read
    /// before the other's but applied after it would count backwards (a negative increment, which
    /// the counter refuses by stopping the process). Returns the snapshot `current` read.
    @discardableResult
    func update(_ current: () -> (snapshot: Pipeline.Snapshot, connections: StatusReport.Connections)) -> Pipeline.Snapshot {
        let snapshot = reported.withLock { reported in
            let (snapshot, connections) = current()
            let previous = reported
            reported = (snapshot.totals, connections.total, connections.refused)
            let (acceptedNow, acceptedBefore) = (snapshot.totals.accepted, previous.totals.accepted)
            for (type, counter) in accepted {
                counter.increment(by: acceptedNow[type, default: 0] - acceptedBefore[type, default: 0])
            }
            for (code, counter) in rejected {
                counter.increment(by: snapshot.totals.rejected[code, default: 0] - previous.totals.rejected[code, default: 0])
            }
            duplicates.increment(by: snapshot.totals.duplicates - previous.totals.duplicates)
            orphans.increment(by: snapshot.totals.orphans - previous.totals.orphans)
            test.increment(by: snapshot.totals.test - previous.totals.test)
            connectionsTotal.increment(by: Int64(connections.total - previous.connections))
            connectionsOpen.set(Int64(connections.open))
            connectionsRefused.increment(by: Int64(connections.refused - previous.refused))
            pendingEvents.set(Int64(snapshot.pendingEvents))
            pendingKeys.set(Int64(snapshot.pendingKeys))
            cachedTokens.set(Int64(snapshot.cachedTokens))
            return snapshot
        }
        residentMemory.set(Int64(Self.residentBytes()))
        return snapshot
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Resident set size, from /proc/self/statm ("size resident shared ..." in pages).
    static func residentBytes() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        let fields = bytes.prefix(max(count, 0)).split(separator: 0x20)
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
