import ArgumentParser
import Foundation
import Glibc
import ShareTrackCore

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharetrack-bench",
        abstract: "End-to-end benchmark and load generator for sharetrackd.",
        discussion: """
            Generates a seeded, reproducible stream of share, click and conversion events (100,000 \
            advocates with log-normal follower counts, 20 venues, 5 campaigns, 5 networks, about 10 \
            clicks and 0.3 conversions per share with Zipf-like popularity, 70% of clicks with a \
            visitor id, event times over the last 7 days; --advocates and --days change those), encodes it before timing, and sends it over \
            several producer connections with source and seq, pipelined with a window of unacknowledged \
            lines; a line answered overloaded is sent again after 100 ms, with the lines after it (which \
            the daemon refuses until it comes), as a producer does. By default it starts the sharetrackd next to its own executable on a temporary \
            directory; with --socket it targets a running daemon (and --control for its status).

            It reports events/s from the first byte to the last answer, answer latency percentiles, \
            flush durations and rows per flush, the daemon's peak memory and memory per share, and the \
            transport ceiling: how fast a trivial reader drains the same bytes from Unix sockets. \
            With --rate it paces the stream instead, as a kiosk simulator for demos. See docs/benchmarks.md.
            """)

    @Option(help: "Events to send.")
    var events = 2_000_000
    @Option(help: "Producer connections, each with its own source and seq.")
    var connections = 4
    /// In `ack: commit` mode a producer must allow rate × (flush interval + commit time) lines in
    /// flight to sustain a rate: 4 × 100,000 covers 300,000 events/s with a third to spare. A larger
    /// window only queues lines in the daemon (up to ingest's own rate, ~650,000/s, per interval),
    /// which raises throughput, batch size and latency together.
    @Option(help: "Unacknowledged lines allowed per connection.")
    var window = 100_000
    @Option(help: "Seed of the workload.")
    var seed: UInt64 = 1
    @Option(help: "Advocates the shares are drawn from.")
    var advocates = 100_000
    @Option(help: "Days of event times, ending at the last whole hour.")
    var days = 7
    @Option(help: ArgumentHelp("flush_interval of the daemon the bench starts.", valueName: "seconds"))
    var flushInterval: Double = 1
    @Option(help: ArgumentHelp("ack mode of the daemon the bench starts: commit or receive.", valueName: "mode"))
    var ack = "commit"
    @Option(help: ArgumentHelp("Send at this many events/s in total (kiosk simulator) instead of as fast as answered.",
                               valueName: "events/s"))
    var rate: Double?
    @Flag(help: "Print the results as JSON.")
    var json = false
    @Flag(help: "Keep the temporary directory of the daemon the bench starts (database and log).")
    var keep = false
    @Option(help: ArgumentHelp("Target the running daemon listening on this ingest socket.", valueName: "path"))
    var socket: String?
    @Option(help: ArgumentHelp("Control socket of the running daemon (for flush, memory and count figures).",
                               valueName: "path"))
    var control: String?
    @Option(help: ArgumentHelp("The sharetrackd to start (default: the one next to this executable).", valueName: "path"))
    var daemon: String?
    @Option(help: ArgumentHelp("Seconds between status polls during the run.", valueName: "seconds"))
    var pollInterval = 0.25
    @Flag(help: "Skip measuring the transport ceiling.")
    var noCeiling = false
    @Flag(help: "Print progress to stderr once a second (always on with --rate).")
    var progress = false
    @Flag(help: "Time the query commands instead, on a database the bench builds, with ingest running.")
    var queries = false
    @Option(help: ArgumentHelp("--queries: shares in the database (10 clicks each, over 90 days).", valueName: "count"))
    var queryShares = 2_000_000
    @Option(help: ArgumentHelp("--queries: runs of each query.", valueName: "count"))
    var queryRuns = 20
    @Option(help: ArgumentHelp("--queries: runs of each query over the raw rows, as before the rollups (0: none).",
                               valueName: "count"))
    var rawRuns = 0
    @Option(help: ArgumentHelp("--queries: the database to time (built there first if missing); each run works on "
                               + "a copy of it, so that one build serves many runs.", valueName: "path"))
    var queryDatabase: String?
    @Option(help: ArgumentHelp("--queries: seconds of ingest (at --rate, default 100,000 events/s) to generate.",
                               valueName: "seconds"))
    var ingestSeconds = 120.0
    @Option(help: ArgumentHelp("Have the daemon the bench starts ship to this PostgreSQL shared store, and report "
                               + "how fast it ships and how far behind it is when the load ends.", valueName: "uri"))
    var sharedStore: String?
    @Option(help: ArgumentHelp("With --shared-store: the visitor key every node uses (created if missing; run "
                               + "several benches at once with the same file to measure several nodes).",
                               valueName: "path"))
    var visitorKeyFile = "/tmp/sharetrack-bench-visitor.key"

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1") }
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be 1 to 256") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        guard advocates >= 1 else { throw ValidationError("--advocates must be at least 1") }
        guard (1...3650).contains(days) else { throw ValidationError("--days must be 1 to 3650") }
        guard flushInterval > 0 else { throw ValidationError("--flush-interval must be greater than 0") }
        guard ack == "commit" || ack == "receive" else { throw ValidationError("--ack must be commit or receive") }
        if let rate { guard rate > 0 else { throw ValidationError("--rate must be greater than 0") } }
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be greater than 0") }
        if control != nil && socket == nil { throw ValidationError("--control needs --socket") }
        if sharedStore != nil && socket != nil { throw ValidationError("--shared-store is for the daemon the bench starts") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        if queries {
            guard let binary = daemon ?? LaunchedDaemon.siblingBinary() else {
                throw ValidationError("no sharetrackd next to this executable; name one with --daemon PATH")
            }
            return try QueryBench(shares: queryShares, runs: queryRuns, rawRuns: rawRuns, rate: rate ?? 100_000,
                                  ingestSeconds: ingestSeconds, seed: seed, daemon: binary, keep: keep,
                                  reuse: queryDatabase).run()
        }
        let machine = Machine.current()
        let now = Int64(time(nil))
        let spec = WorkloadSpec(
            events: events, connections: connections, seed: seed, advocates: advocates, days: days,
            spanEnd: now / 3600 * 3600,
            runTag: socket == nil ? nil : String(now, radix: 36))
        note("generating \(Format.integer(events)) events (seed \(seed))")
        let generationStart = monotonicNanoseconds()
        let workload = Workload(spec)
        let generationSeconds = Double(monotonicNanoseconds() - generationStart) / 1e9

        var ceiling: TransportCeiling.Result?
        if !noCeiling {
            note("measuring the transport ceiling")
            // The fastest of three: a ceiling is what the transport can do, and one pass lasts ~0.1 s.
            ceiling = try (0..<3).map { _ in try TransportCeiling.measure(workload) }.min { $0.seconds < $1.seconds }
        }

        let launched: LaunchedDaemon?
        if socket == nil {
            guard let binary = daemon ?? LaunchedDaemon.siblingBinary() else {
                throw ValidationError("no sharetrackd next to this executable; name one with --daemon PATH")
            }
            note("starting \(binary)")
            launched = try LaunchedDaemon(binary: binary, arguments: [
                "--flush-interval", String(flushInterval), "--ack", ack, "--log-level", "warning",
            ] + (try sharedStoreArguments()), keep: keep)
        } else {
            launched = nil
        }
        defer {
            if let kept = launched?.finish() { note("kept \(kept)") }
        }
        let ingestPath = socket ?? launched!.ingestSocket
        let controlPath = control ?? launched?.controlSocket

        let before = try controlPath.map { try ControlClient(path: $0).status() }
        let pid = launched?.pid ?? before?.pid
        let usageBefore = pid.flatMap(ProcessUsage.of)
        let monitor = controlPath.map { FlushMonitor(control: $0, interval: pollInterval) }
        let cpuBefore = ownCPUSeconds()

        note("sending over \(connections) connection(s)" + (rate.map { " at \(Format.integer(Int($0))) events/s" } ?? ""))
        let runner = LoadRunner(options: .init(window: window, rate: rate, progress: progress || rate != nil))
        let outcome: LoadRunner.Outcome
        do {
            outcome = try runner.run(workload, socket: ingestPath)
        } catch {
            if let launched, !StopSignals.isStopping { printError("sharetrackd's log:\n" + launched.log.suffix(4000)) }
            throw error
        }

        let benchCPU = ownCPUSeconds() - cpuBefore
        // The daemon answers once a batch is in its journal, and applies it to its tables after:
        // that work belongs to the run (its CPU and memory), and how long it lags is reported.
        let applyLag = controlPath.flatMap(Self.waitUntilApplied)
        let shipLag = sharedStore == nil ? nil : controlPath.flatMap(Self.waitUntilShipped)
        let cpuAfter = pid.flatMap(ProcessUsage.of)?.cpuSeconds
        let daemonCPU = usageBefore.flatMap { before in cpuAfter.map { $0 - before.cpuSeconds } }
        // The last flush's report is stored just after its commit is announced, and the daemon gives
        // freed memory back after a large flush: let it settle before measuring what it holds.
        let usageAfter = pid.flatMap { Self.settledUsage(of: $0) }
        var observations = monitor?.stop()
        var after: StatusReport?
        var metrics: String?
        if let controlPath, let client = try? ControlClient(path: controlPath) {
            after = try? client.status()
            metrics = try? client.metrics()
            if let flush = after?.lastFlush { observations?.flushes[flush.generation] = flush }
        }
        let exitStatus = launched?.stop()

        var report = BenchReport(
            setup: .init(
                target: socket ?? "own daemon", ack: after?.ack ?? (socket == nil ? ack : nil),
                flushIntervalSeconds: after?.flushInterval ?? (socket == nil ? flushInterval : nil),
                connections: connections, window: window, rate: rate, seed: seed, events: workload.events,
                bytes: workload.bytes, mix: workload.mix, generationSeconds: generationSeconds),
            machine: machine,
            eventsSent: workload.events, eventsAnswered: outcome.acknowledged, ok: outcome.ok,
            duplicates: outcome.duplicates, rejected: outcome.rejected, firstRejection: outcome.firstRejection,
            overloaded: outcome.overloaded,
            daemonCounted: before.flatMap { before in after.map { Self.answered($0) - Self.answered(before) } },
            daemonOrphans: before.flatMap { before in after.map { Int($0.totals.orphans - before.totals.orphans) } },
            seconds: outcome.seconds, eventsPerSecond: Double(outcome.acknowledged) / outcome.seconds,
            sendingEventsPerSecond: Double(workload.events) / max(outcome.sendingSeconds, 1e-9),
            ackLatency: .init(outcome.latency),
            flushes: observations.map { BenchReport.Flushes($0, metrics: metrics) },
            memory: usageBefore.flatMap { before in
                usageAfter.map { after in
                    BenchReport.Memory(before: before, after: after, shares: workload.mix.shares)
                }
            },
            applyLagSeconds: applyLag,
            shipLagSeconds: shipLag,
            shippedEventsPerSecond: shipLag.map { Double(outcome.acknowledged) / (outcome.seconds + $0) },
            daemonCpuSeconds: daemonCPU,
            daemonCores: daemonCPU.map { $0 / (outcome.seconds + (applyLag ?? 0)) },
            daemonCpuMicrosecondsPerEvent: daemonCPU.map { $0 * 1e6 / Double(max(outcome.acknowledged, 1)) },
            benchCpuSeconds: benchCPU,
            transportCeiling: ceiling,
            ratioToCeiling: ceiling.map { Double(outcome.acknowledged) / outcome.seconds / $0.eventsPerSecond },
            daemonExitStatus: exitStatus)
        report.memory?.cachedTokens = after?.cachedTokens

        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table())
        }
        if outcome.acknowledged != workload.events || outcome.rejected > 0 || (exitStatus ?? 0) != 0 {
            throw ExitCode(1)
        }
    }

    /// Seconds until `status` says no committed batch is left to apply (nil: unknown, or not
    /// within a minute).
    private static func waitUntilApplied(control path: String) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < 60 {
            guard let status = try? ControlClient(path: path).status() else { return nil }
            if status.applying.batches == 0 { return Date().timeIntervalSince(start) }
            usleep(10_000)
        }
        return nil
    }

    /// Seconds until `status` says the shared store holds every batch (nil: not within 10 minutes).
    private static func waitUntilShipped(control path: String) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < 600 {
            guard let status = try? ControlClient(path: path).status(), let store = status.sharedStore else { return nil }
            if store.backlogBatches == 0 && status.applying.batches == 0 && status.pending.events == 0 {
                return Date().timeIntervalSince(start)
            }
            usleep(10_000)
        }
        return nil
    }

    /// The daemon's shared-store flags: the store, a node name of its own, and the common visitor
    /// key (32 random bytes, written once, mode 0600).
    private func sharedStoreArguments() throws -> [String] {
        guard let sharedStore else { return [] }
        let fd = open(visitorKeyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd >= 0 {
            var key = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let written = write(fd, &key, key.count)
            close(fd)
            guard written == key.count else { throw ValidationError("cannot write \(visitorKeyFile)") }
        }
        return ["--shared-store", sharedStore, "--node", "bench-\(getpid())", "--visitor-key-file", visitorKeyFile]
    }

    /// The process's usage once its resident size has stopped changing (within 1% over five
    /// samples 100 ms apart), or after 5 s.
    private static func settledUsage(of pid: Int32) -> ProcessUsage? {
        var samples: [ProcessUsage] = []
        for _ in 0..<50 {
            guard let next = ProcessUsage.of(pid) else { break }
            samples = samples.suffix(4) + [next]
            let sizes = samples.map(\.residentBytes)
            if samples.count == 5, let low = sizes.min(), let high = sizes.max(), high - low <= low / 100 { break }
            usleep(100_000)
        }
        return samples.last
    }

    private static func answered(_ status: StatusReport) -> Int {
        Int(status.totals.accepted + status.totals.duplicates + status.totals.rejected)
    }

    private func note(_ text: String) {
        printError("sharetrack-bench: \(text)")
    }
}
