/// Everything one run measured; printed as a table, or as JSON (snake_case keys) with `--json`.
struct BenchReport: Codable {
    struct Setup: Codable {
        /// `own daemon` (started by the bench on a temporary directory) or the socket path targeted.
        var target: String
        var ack: String?
        var flushIntervalSeconds: Double?
        var connections: Int
        var window: Int
        var rate: Double?
        var seed: UInt64
        var events: Int
        var bytes: Int
        var mix: Workload.Mix
        var generationSeconds: Double
    }

    struct Latency: Codable {
        var p50Ms: Double
        var p99Ms: Double
        var p999Ms: Double
        var maxMs: Double
        var meanMs: Double
    }

    struct Flushes: Codable {
        /// Flushes whose report the bench saw while polling `status`.
        var observed: Int
        /// Flushes the daemon counted (its `sharetrack_flush_duration_seconds` histogram), if known.
        var total: Int?
        var failed: Int
        /// The commit to the journal: what an answer waits for.
        var durationP50Ms: Double?
        var durationMaxMs: Double?
        /// Applying the batch to the database's tables, afterwards.
        var applyP50Ms: Double?
        var applyMaxMs: Double?
        /// Rows written per flush (counter rows, shares, visitors, sources).
        var rowsMean: Double?
        var rowsMax: Int?
        var eventsMean: Double?
        var eventsMax: Int?
        /// Apply time scaled to 100,000 rows (time / rows × 100,000), median and worst over the
        /// flushes: comparable between runs whose batches differ in size.
        var msPer100kRowsP50: Double?
        var msPer100kRowsMax: Double?
    }

    struct Memory: Codable {
        /// The daemon's VmHWM at the end.
        var peakRssBytes: Int
        var rssBeforeBytes: Int
        var rssAfterBytes: Int
        /// Shares the run made known to the daemon.
        var knownShares: Int
        /// Token states the daemon holds in memory at the end, as it says.
        var cachedTokens: Int?
        /// (RSS after - RSS before) / known shares.
        var bytesPerShare: Double
        var peakBytesPerShare: Double
    }

    var setup: Setup
    var machine: Machine
    var eventsSent: Int
    var eventsAnswered: Int
    var ok: Int
    var duplicates: Int
    var rejected: Int
    var firstRejection: String?
    /// Answers `overloaded`: the bench sent each such line (and the lines after it) again.
    var overloaded: Int
    /// Lines the daemon counted during the run (accepted + duplicate + rejected, from `status`).
    var daemonCounted: Int?
    var daemonOrphans: Int?
    var seconds: Double
    var eventsPerSecond: Double
    /// Events over the time from the first byte to the last byte written (with `--rate`, the rate
    /// actually offered).
    var sendingEventsPerSecond: Double
    var ackLatency: Latency
    var flushes: Flushes?
    var memory: Memory?
    /// From the last answer until the daemon's tables held every batch (its apply lag).
    var applyLagSeconds: Double?
    /// With `--shared-store`: from the last answer until the store held every batch, and the
    /// events shipped per second over the whole run (first byte to that moment).
    var shipLagSeconds: Double?
    var shippedEventsPerSecond: Double?
    var daemonCpuSeconds: Double?
    /// Daemon CPU time over the same wall time (the run and then the apply lag): how many of the
    /// cores it kept busy.
    var daemonCores: Double?
    /// Daemon CPU time per answered event, in microseconds, until its tables had caught up.
    var daemonCpuMicrosecondsPerEvent: Double?
    var benchCpuSeconds: Double
    var transportCeiling: TransportCeiling.Result?
    var ratioToCeiling: Double?
    var daemonExitStatus: Int32?
}
