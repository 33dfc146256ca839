import CoreMetrics
import Glibc
import Prometheus
import ShareTrackCore
import Synchronization

/// The daemon's own metrics, through swift-metrics into a Prometheus registry.
///
/// Ingest does not touch a metric per event: once a second (and before every `metrics` answer)
/// the running totals are turned into counter increments, so the hot path stays free of it.
final class DaemonMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let reported = Mutex((totals: IngestTotals(), connections: 0))
    private let flushDuration: CoreMetrics.Timer
    private let flushRows: CoreMetrics.Recorder
    private let flushFailures: CoreMetrics.Counter

    /// Bootstraps the process's metrics system; a process has one `DaemonMetrics`.
    init() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // Made after the bootstrap, so they report to Prometheus rather than to the no-op default.
        flushDuration = CoreMetrics.Timer(label: "sharetrack_flush_duration_seconds")
        flushRows = Recorder(label: "sharetrack_flush_rows")
        flushFailures = Counter(label: "sharetrack_flush_failures_total")
    }

    func recordFlush(_ report: FlushReport) {
        if report.error != nil {
            flushFailures.increment()
        } else {
            flushDuration.recordNanoseconds(Int64(report.durationSeconds * 1e9))
            flushRows.record(report.rows)
        }
    }

    /// Brings the counters and gauges up to date with the daemon's state.
    func update(_ snapshot: Pipeline.Snapshot, connections: StatusReport.Connections) {
        let previous = reported.withLock { reported in
            defer { reported = (snapshot.totals, connections.total) }
            return reported
        }
        for type in EventType.allCases {
            let delta = snapshot.totals.accepted[type, default: 0] - previous.totals.accepted[type, default: 0]
            if delta > 0 { Counter(label: "sharetrack_events_accepted_total", dimensions: [("type", type.rawValue)]).increment(by: delta) }
        }
        for code in ErrorCode.allCases {
            let delta = snapshot.totals.rejected[code, default: 0] - previous.totals.rejected[code, default: 0]
            if delta > 0 { Counter(label: "sharetrack_events_rejected_total", dimensions: [("code", code.rawValue)]).increment(by: delta) }
        }
        Counter(label: "sharetrack_events_duplicate_total").increment(by: snapshot.totals.duplicates - previous.totals.duplicates)
        Counter(label: "sharetrack_orphans_total").increment(by: snapshot.totals.orphans - previous.totals.orphans)
        Counter(label: "sharetrack_events_test_total").increment(by: snapshot.totals.test - previous.totals.test)
        Counter(label: "sharetrack_connections_total").increment(by: Int64(connections.total - previous.connections))
        Gauge(label: "sharetrack_connections_open").record(connections.open)
        Gauge(label: "sharetrack_pending_events").record(snapshot.pendingEvents)
        Gauge(label: "sharetrack_pending_keys").record(snapshot.pendingKeys)
        Gauge(label: "sharetrack_cached_tokens").record(snapshot.cachedTokens)
        Gauge(label: "sharetrack_resident_memory_bytes").record(Self.residentBytes())
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
