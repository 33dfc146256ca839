import Foundation
import Glibc
import ShareTrackCore
import ShareTrackStore
import Synchronization

/// `sharetrack-bench --queries`: builds a database of `shares` shares (`DatabaseBuilder`), starts
/// sharetrackd on it, keeps ingest running at `rate` events/s, and times every query command over
/// the control socket `runs` times: median and p99 per query, and how much the daemon's resident
/// memory grew during it and, for comparison, during as long a time right after its first run
/// without a query (what ingest and the apply alone grow it by; once, so that the rounds still end
/// while ingest runs). Offline (in this process, no live batches) it also times the rollups and,
/// with `rawRuns`, the raw aggregation the queries used before the rollups.
///
/// With `reuse`, the database is built at that path only if it is missing, and each run works on a
/// copy of it (ingest writes into the database): building 2M shares takes minutes, a copy seconds.
/// The rollups' build is then timed only when the database was built in this run.
struct QueryBench {
    var shares: Int
    var runs: Int
    var rawRuns: Int
    var rate: Double
    var ingestSeconds: Double
    var seed: UInt64
    var daemon: String
    var keep: Bool
    var reuse: String?

    func run() throws {
        let directory = try makeTemporaryDirectory(prefix: "sharetrack-querybench")
        defer { if keep { note("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) } }
        let database = directory + "/sharetrack.db"
        let now = Int64(time(nil))
        let builder = DatabaseBuilder(shares: shares, seed: seed, spanEnd: now / 3600 * 3600)
        let built = reuse.map { !FileManager.default.fileExists(atPath: $0) } ?? true
        var buildSeconds = 0.0, buildCPU = 0.0
        if built {
            note("building a database of \(Format.integer(shares)) shares over \(builder.days) days")
            let buildStart = monotonicNanoseconds()
            let cpuStart = ProcessUsage.of(getpid())?.cpuSeconds ?? 0
            try builder.build(at: reuse ?? database) { written in
                if written % 200_000 == 0 { note("\(Format.integer(written)) shares written") }
            }
            buildSeconds = Double(monotonicNanoseconds() - buildStart) / 1e9
            buildCPU = (ProcessUsage.of(getpid())?.cpuSeconds ?? 0) - cpuStart
            note("built in \(Format.seconds(buildSeconds)) (\(Format.seconds(buildCPU)) of CPU), \(Format.bytes(Self.fileSize(reuse ?? database)))")
        }
        if let reuse {
            note("copying \(reuse) (\(Format.bytes(Self.fileSize(reuse))))")
            try FileManager.default.copyItem(atPath: reuse, toPath: database)
            // Migrated, if built by an older version, with the rollups it adds summed: the queries
            // are timed as they answer once those are built.
            let store = try Store(path: database, visitorKey: .random())
            while try !store.buildRollups() {}
        }
        let sample = try Self.middleShare(database)

        let migration = built ? try timeRollupBuild(database) : nil
        let cases = QueryCase.all(now: now, token: sample.token, advocate: sample.advocate)
        let raw = rawRuns > 0 ? try offline(database, cases, readsRollups: false, runs: rawRuns) : [:]
        let offline = try offline(database, cases, readsRollups: true, runs: runs)

        note("starting sharetrackd on it, ingest at \(Format.integer(Int(rate))) events/s")
        let launched = try LaunchedDaemon(binary: daemon, arguments: ["--log-level", "warning"], database: database,
                                      keep: keep)
        defer { if let kept = launched.finish() { note("kept \(kept)") } }
        let ingest = LiveIngest(rate: rate, seconds: ingestSeconds, seed: seed, socket: launched.ingestSocket)
        sleep(3)
        let sampler = MemorySampler(pid: launched.pid)
        let client = try ControlClient(path: launched.controlSocket)
        var live: [String: [Double]] = [:]
        var growth: [String: Int] = [:]
        var growthWithout: [String: Int] = [:]
        for round in 0..<runs {
            let roundStart = monotonicNanoseconds()
            for query in cases {
                let baseline = sampler.restart()
                let start = monotonicNanoseconds()
                _ = try client.exchange(query.request)
                let elapsed = monotonicNanoseconds() - start
                live[query.name, default: []].append(Double(elapsed) / 1e6)
                growth[query.name] = max(growth[query.name] ?? 0, sampler.peak - baseline)
                if round == 0 {
                    let quiet = sampler.restart()
                    usleep(UInt32(min(elapsed / 1000, 1_000_000)))
                    growthWithout[query.name] = sampler.peak - quiet
                }
            }
            let status = try client.status()
            note("round \(round + 1) of \(runs): \(Format.seconds(Double(monotonicNanoseconds() - roundStart) / 1e9)); "
                 + "\(status.applying.batches) batches waiting to be applied, last apply "
                 + Format.seconds(status.lastFlush?.applySeconds ?? 0))
        }
        let ingestRunning = ingest.isRunning
        sampler.stop()
        let outcome = ingest.finish()

        var table = Table(header: ["query", "before (raw) median", "offline median", "live median", "live p99",
                                   "RSS growth", "same time, no query"])
        for query in cases {
            table.add(query.name, raw[query.name].map { Format.milliseconds(Self.percentile($0, 0.5)) } ?? "",
                      offline[query.name].map { Format.milliseconds(Self.percentile($0, 0.5)) } ?? "",
                      Format.milliseconds(Self.percentile(live[query.name] ?? [], 0.5)),
                      Format.milliseconds(Self.percentile(live[query.name] ?? [], 0.99)),
                      Format.bytes(growth[query.name] ?? 0), Format.bytes(growthWithout[query.name] ?? 0))
        }
        let rollupBuild = migration.map {
            "\(Format.seconds($0.total)) in \($0.steps) steps of \(Format.integer(Store.rollupBuildShares)) shares, "
                + "the longest \(Format.milliseconds($0.longest * 1000))"
        } ?? "not timed (database reused)"
        let origin = built ? "built in \(Format.seconds(buildSeconds)) (\(Format.seconds(buildCPU)) of CPU)" : "a copy of \(reuse ?? "")"
        print("""
            database: \(Format.integer(shares)) shares, \(Format.integer(Int(builder.clicksPerShare) * shares)) clicks \
            over \(builder.days) days, \(Format.bytes(Self.fileSize(database))), \
            \(origin)
            live: ingest at \(Format.integer(Int(rate))) events/s (\(Format.integer(outcome?.acknowledged ?? 0)) answered, \
            \(ingestRunning ? "running throughout" : "ENDED before the last query")); \(runs) runs per query
            offline: this process, no live batches, \(runs) runs\(rawRuns > 0 ? "; before: \(rawRuns) runs" : "")
            rollups built from scratch (as for an older database): \(rollupBuild)

            """ + table.render())
    }

    /// Takes the database back to schema version 5, whose migration replaces the rollups (and
    /// the later ones add their indexes again, version 10's visitors column and version 19's
    /// visitor times, the database built here having no visitors, and version 12's
    /// `rollup_builds`), and times building them again
    /// the way the daemon does (`Store.buildRollups` steps).
    private func timeRollupBuild(_ database: String) throws -> (total: Double, steps: Int, longest: Double) {
        note("timing the rollups' build for an older database")
        let old = try Database(path: database, mode: .readWrite)
        try old.execute("""
            DROP INDEX counters_visitors_by_hour;
            ALTER TABLE counters DROP COLUMN visitors;
            ALTER TABLE counters DROP COLUMN visitor_times;
            ALTER TABLE visitors DROP COLUMN time;
            DROP TABLE rollup_builds;
            PRAGMA user_version = 5;
            """)
        let store = try Store(path: database, visitorKey: .random())
        var steps = 0
        var longest = 0.0
        let start = monotonicNanoseconds()
        var complete = false
        while !complete {
            let stepStart = monotonicNanoseconds()
            complete = try store.buildRollups(shares: Store.rollupBuildShares)
            store.database.checkpoint()
            steps += 1
            longest = max(longest, Double(monotonicNanoseconds() - stepStart) / 1e9)
        }
        return (Double(monotonicNanoseconds() - start) / 1e9, steps, longest)
    }

    /// The share in the middle of the stored ones by time, and its advocate: what `share` and
    /// `advocate` ask about.
    private static func middleShare(_ path: String) throws -> (token: String, advocate: String) {
        let database = try Database(path: path, mode: .readOnly)
        let middle = try database.prepare("""
            SELECT token, advocate FROM shares ORDER BY time LIMIT 1 OFFSET (SELECT count(*) / 2 FROM shares)
            """).rows { ($0.string(0) ?? "", $0.string(1) ?? "") }
        return middle.first ?? ("", "")
    }

    /// Milliseconds per run of each query, through `Queries` in this process.
    private func offline(_ database: String, _ cases: [QueryCase], readsRollups: Bool, runs: Int) throws -> [String: [Double]] {
        note("timing the queries offline, \(readsRollups ? "from the rollups" : "from the raw rows (before)")")
        let queries = try Queries(path: database, readsRollups: readsRollups)
        var times: [String: [Double]] = [:]
        for _ in 0..<runs {
            for query in cases where query.request.command != .status && query.request.command != .metrics {
                let start = monotonicNanoseconds()
                _ = try queries.answer(query.request, live: nil, now: Int64(time(nil)))
                times[query.name, default: []].append(Double(monotonicNanoseconds() - start) / 1e6)
            }
        }
        return times
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    private static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("sharetrack-bench: \(text)\n".utf8))
    }
}

/// The daemon's resident memory, sampled every 5 ms on a thread of its own: the peak since the
/// last `restart()`.
final class MemorySampler {
    /// What the sampling thread shares with this one.
    private final class Shared: Sendable {
        let highest = Atomic<Int>(0)
        let running = Atomic<Bool>(true)
    }

    private let shared = Shared()
    private let pid: Int32
    private var thread: BackgroundThread?

    init(pid: Int32) {
        self.pid = pid
        let shared = shared
        thread = BackgroundThread {
            while shared.running.load(ordering: .relaxed) {
                _ = shared.highest.max(ProcessUsage.of(pid)?.residentBytes ?? 0)
                usleep(5_000)
            }
        }
    }

    var peak: Int {
        shared.highest.max(ProcessUsage.of(pid)?.residentBytes ?? 0)
    }

    /// Starts a new peak at the current size, and returns that size.
    func restart() -> Int {
        let now = ProcessUsage.of(pid)?.residentBytes ?? 0
        shared.highest.store(now, ordering: .relaxed)
        return now
    }

    func stop() {
        shared.running.store(false, ordering: .relaxed)
        thread?.join()
        thread = nil
    }
}

extension Atomic where Value == Int {
    /// Raises the value to `candidate` if that is larger.
    /// Returns the value after.
    fileprivate func max(_ candidate: Int) -> Int {
        var current = load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return candidate }
            current = original
        }
        return current
    }
}
