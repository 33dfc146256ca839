import Foundation
import Glibc
import ShareTrackStore
import Testing
import TestSupport

/// Exactly-once through crashes: producers with `source`/`seq` stream events and retry what has no
/// `ok`, in order, after every reconnect, while the daemon is killed and restarted on its database.
@Suite("Crashes", .serialized)
struct CrashTests {
    @Test("ack: commit: SIGKILL at random moments, restarts on the same database, counters exactly the model's")
    func killNineInCommitMode() throws {
        let total = Soak.size(suite: 48_000, soak: 200_000)
        let fleet = try ProducerFleet(seed: 0xC0FFEE, events: total, arguments: ["--flush-interval", "0.1"])
        var random = SplitMix(seed: 0xDEAD)
        let kills = Soak.size(suite: 3, soak: 8)
        let points = (0..<kills).map { _ in 0.05 + Double(random.next(below: 900)) / 1000 }.sorted()
        fleet.start()
        for point in points {
            try #require(fleet.waitForAcked(Int(point * Double(total))), "producers stalled: \(fleet.daemon.log)")
            usleep(UInt32(random.next(below: 150_000)))  // anywhere in a flush interval, or a bit more
            try fleet.crash(signal: SIGKILL)
            // Commit mode: everything acknowledged is in the database.
            for producer in fleet.producers {
                #expect(producer.committedSeq(in: fleet) >= producer.acked, "\(producer.source) lost acknowledged events")
            }
            try fleet.expectDatabaseIsCommittedPrefix()
            try fleet.restart()
        }
        try fleet.finish()
        for producer in fleet.producers {
            #expect(producer.unexpected.isEmpty, "\(producer.source): \(producer.unexpected.prefix(5))")
        }
        try fleet.expectDatabaseEqualsModel(lost: [:])
        print("crash test: \(total) events, \(kills) kills, \(fleet.elapsed) s, answers retried \(fleet.retried), "
              + "journal batches recovered \(fleet.journalRecovered)")
    }

    @Test("ack: receive: SIGKILL double counts nothing; the loss is only what was acked since the last commit")
    func killNineInReceiveMode() throws {
        let total = Soak.size(suite: 24_000, soak: 200_000)
        let interval = 0.5
        let fleet = try ProducerFleet(seed: 0xBEEF, events: total,
                                      arguments: ["--ack", "receive", "--flush-interval", "\(interval)"])
        var random = SplitMix(seed: 0xF00D)
        var lost: [String: ClosedRange<Int>] = [:]
        fleet.start()
        for point in [0.3, 0.7] {
            try #require(fleet.waitForAcked(Int(point * Double(total))), "producers stalled: \(fleet.daemon.log)")
            usleep(UInt32(random.next(below: 500_000)))
            let killed = Date()
            try fleet.crash(signal: SIGKILL)
            // Nothing double counted: the database is exactly the model of each source's committed prefix.
            try fleet.expectDatabaseIsCommittedPrefix()
            for producer in fleet.producers {
                let committed = producer.committedSeq(in: fleet)
                guard producer.acked > committed else { continue }
                // Lost: acknowledged but not committed. Each was acknowledged within the last flush
                // interval (plus the time a flush takes on a busy machine) before the crash.
                let range = (committed + 1)...producer.acked
                lost[producer.source] = lost[producer.source].map { min($0.lowerBound, range.lowerBound)...range.upperBound } ?? range
                let oldest = producer.ackTime(of: range.lowerBound)
                #expect(killed.timeIntervalSince(oldest) < interval + 1.5,
                        "\(producer.source): lost seq \(range) acked \(killed.timeIntervalSince(oldest)) s before the crash")
                producer.forget(range)
            }
            try fleet.restart()
        }
        try fleet.finish()
        // The rest was retried and counted exactly once; the lost lines, never again.
        try fleet.expectDatabaseEqualsModel(lost: fleet.lostSeqs)
        print("receive-mode crash test: lost \(lost.mapValues(\.count)) of \(total)")
    }

    @Test("SIGKILL while the database is locked: the next start applies what the journal holds, and says so")
    func journalAppliedAtStart() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        let clicks = (1...50).map { #"{"type":"click","share":"s\#($0)"}"# }
        #expect(try LineClient(path: daemon.ingestSocket).exchange(clicks).allSatisfy { $0 == #"{"ok":true}"# })
        _ = try daemon.stop(signal: SIGKILL)
        shell.quit()
        let restart = try DaemonProcess(directory: daemon.directory)
        #expect(try restart.stop() == 0)
        #expect(restart.log.contains("applied the batches the journal held that the tables did not"), "\(restart.log)")
        #expect(restart.log.contains("lines=50"), "\(restart.log)")
        let counted = try restart.openDatabase().prepare("SELECT sum(clicks) FROM counters")
        #expect(try counted.rows { $0.int64(0) } == [50])
    }

    @Test("SIGTERM under full load loses nothing acknowledged", arguments: ["commit", "receive"])
    func sigtermUnderLoad(ack: String) throws {
        let total = Soak.size(suite: 16_000, soak: 100_000)
        let fleet = try ProducerFleet(seed: ack == "commit" ? 7 : 8, events: total,
                                      arguments: ["--ack", ack, "--flush-interval", "0.3"])
        fleet.start()
        try #require(fleet.waitForAcked(total / 3), "producers stalled: \(fleet.daemon.log)")
        let status = try fleet.crash(signal: SIGTERM)
        #expect(status == 0, "\(fleet.daemon.log)")
        for producer in fleet.producers {
            #expect(producer.committedSeq(in: fleet) >= producer.acked, "\(producer.source) lost acknowledged events")
        }
        try fleet.expectDatabaseIsCommittedPrefix()
        try fleet.restart()
        try fleet.finish()
        try fleet.expectDatabaseEqualsModel(lost: [:])
    }
}

/// Four producers (one connection each, disjoint share tokens, so the model does not depend on how
/// their lines interleave) and the daemon they write to.
final class ProducerFleet: @unchecked Sendable {
    // @unchecked: `daemon` and `generation` are changed only by the test's thread while every
    // producer is parked (see `crash`); producers read `generation` under `lock`.
    let producers: [Producer]
    let arguments: [String]
    let directory: String
    private(set) var daemon: DaemonProcess
    private let lock = NSCondition()
    private var generation = 0
    private let finished = DispatchGroup()
    private let started = Date()
    private var database: Database?
    private(set) var journalRecovered = 0

    init(seed: UInt64, events: Int, arguments: [String], count: Int = 4) throws {
        self.arguments = arguments
        daemon = try DaemonProcess(arguments: arguments)
        directory = daemon.directory
        var stream = EventStream(seed: seed)
        producers = (0..<count).map { index in
            Producer(source: "kiosk\(index)", events: stream.make(count: events / count, tokenPrefix: "p\(index)",
                                                                  source: "kiosk\(index)"))
        }
    }

    var elapsed: Int { Int(Date().timeIntervalSince(started)) }
    var retried: Int { producers.map(\.retried).reduce(0, +) }
    var lostSeqs: [String: Set<Int>] { Dictionary(uniqueKeysWithValues: producers.map { ($0.source, $0.lost) }) }

    func start() {
        for producer in producers {
            finished.enter()
            let thread = Thread { [self] in
                producer.run(fleet: self)
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Waits until the producers together have `count` acknowledgements (false: no progress for 60 s).
    func waitForAcked(_ count: Int) -> Bool {
        var last = -1
        var lastProgress = Date()
        while true {
            let acked = producers.map(\.acked).reduce(0, +)
            if acked >= count { return true }
            if acked != last {
                last = acked
                lastProgress = Date()
            } else if Date().timeIntervalSince(lastProgress) > 60 {
                return false
            }
            usleep(2_000)
        }
    }

    /// Kills the daemon and waits until every producer has noticed and parked; returns the exit status.
    @discardableResult
    func crash(signal: Int32) throws -> Int32 {
        let status = try daemon.stop(signal: signal, timeout: 60)
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(60)
        while !producers.allSatisfy({ $0.isParked(generation: generation) || $0.isDone }) {
            guard lock.wait(until: deadline) else { throw TestFailure("producers did not notice the crash") }
        }
        database = nil
        return status
    }

    /// Starts a new daemon on the same directory and lets the producers reconnect.
    func restart() throws {
        daemon = try DaemonProcess(directory: directory, arguments: arguments)
        lock.lock()
        generation += 1
        lock.broadcast()
        lock.unlock()
    }

    /// Called by a producer whose connection broke: waits for the next daemon.
    func park(_ producer: Producer, connectedIn connected: Int) {
        lock.lock()
        producer.setParked(generation: connected)
        lock.broadcast()
        while generation == connected { lock.wait() }
        lock.unlock()
    }

    var currentGeneration: Int {
        lock.lock()
        defer { lock.unlock() }
        return generation
    }

    var ingestSocket: String { daemon.ingestSocket }

    /// Waits for every producer to finish, then stops the daemon cleanly.
    func finish() throws {
        guard finished.wait(timeout: .now() + 300) == .success else {
            throw TestFailure("producers did not finish: acked \(producers.map(\.acked))\n\(daemon.log.suffix(2000))")
        }
        #expect(try daemon.stop() == 0)
        database = nil
    }

    /// The database as the next daemon finds it. While the daemon is down (after a crash), opening
    /// it as the daemon does at start first applies the batches the crash left in the journal
    /// (durable and acknowledged, not yet in the tables); `journalRecovered` counts them.
    func openDatabase() throws -> Database {
        if let database { return database }
        let path = directory + "/sharetrack.db"
        if !daemon.process.isRunning {
            let store = try Store(path: path, visitorKey: daemon.visitorKey)
            let journal = try Journal(databasePath: path, databaseID: store.id, visitorKey: daemon.visitorKey)
            // As the daemon does at start (`Daemon.init`).
            while let batch = try journal.batch(after: store.generation) {
                try store.apply(batch)
                journalRecovered += 1
            }
        }
        let opened = try Database(path: path, mode: .readOnly)
        database = opened
        return opened
    }

    /// The database holds exactly the model of each source's committed prefix (nothing double counted,
    /// nothing half-written).
    func expectDatabaseIsCommittedPrefix(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let database = try openDatabase()
        var model = ReferenceModel()
        for producer in producers {
            let committed = producer.committedSeq(in: self)
            for event in producer.events.prefix(committed) where !producer.lost.contains(event.origin!.1) {
                _ = model.apply(event)
            }
        }
        let stored = try DatabaseRows.counters(database)
        #expect(sameCounters(stored, model.counters),
                "database is not the committed prefix: \(difference(stored, model.counters))", sourceLocation: sourceLocation)
        #expect(try DatabaseRows.shareFollowers(database) == model.shares, sourceLocation: sourceLocation)
    }

    /// The database holds exactly the model of every event but `lost` ones (seqs per source).
    func expectDatabaseEqualsModel(lost: [String: Set<Int>], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let database = try openDatabase()
        var model = ReferenceModel()
        for producer in producers {
            for event in producer.events where !(lost[producer.source]?.contains(event.origin!.1) ?? false) {
                _ = model.apply(event)
            }
        }
        let stored = try DatabaseRows.counters(database)
        #expect(sameCounters(stored, model.counters), "\(difference(stored, model.counters))", sourceLocation: sourceLocation)
        #expect(try DatabaseRows.shareFollowers(database) == model.shares, sourceLocation: sourceLocation)
        #expect(try VisitorHashes.stored(in: database).count == model.visitors.count,
                sourceLocation: sourceLocation)
        for producer in producers {
            let highest = producer.events.indices.last { !(lost[producer.source]?.contains($0 + 1) ?? false) }.map { $0 + 1 }
            #expect(producer.committedSeq(in: self) == highest ?? 0, "\(producer.source)", sourceLocation: sourceLocation)
        }
    }

    private func difference(_ stored: [ReferenceModel.Key: ReferenceModel.Row],
                            _ expected: [ReferenceModel.Key: ReferenceModel.Row]) -> String {
        var lines: [String] = ["\(stored.count) rows stored, \(expected.count) expected"]
        for (key, row) in expected where stored[key] != row {
            lines.append("\(key.token)@\(key.hour): stored \(stored[key].map(\.description) ?? "none"), expected \(row)")
            if lines.count > 6 { break }
        }
        for key in stored.keys where expected[key] == nil {
            lines.append("\(key.token)@\(key.hour): stored but not expected")
            if lines.count > 10 { break }
        }
        return lines.joined(separator: "\n")
    }
}

/// One producer: sends its events in order with up to `window` lines in flight, and after a broken
/// connection resends, in order, everything it has no `ok` (or duplicate) for.
final class Producer: @unchecked Sendable {
    // @unchecked: the counters below are written by the producer's thread and read by others under `lock`.
    let source: String
    let events: [TestEvent]
    private let lines: [[UInt8]]
    private let expected: [String]
    private let lock = NSLock()
    private var _acked = 0
    private var _ackTimes: [Date]
    private var _parkedIn: Int?
    private var _done = false
    /// Seqs acknowledged and then lost in a crash (`ack: receive` only): not expected in the database.
    private(set) var lost = Set<Int>()
    /// Answers that are neither the model's nor a legitimate answer to a retry.
    private(set) var unexpected: [String] = []
    private(set) var retried = 0
    static let window = 3000
    static let chunk = 500

    init(source: String, events: [TestEvent]) {
        self.source = source
        self.events = events
        lines = events.map { Array(($0.line + "\n").utf8) }
        var model = ReferenceModel()
        expected = events.map { model.apply($0) }
        _ackTimes = Array(repeating: .distantPast, count: events.count)
    }

    /// Lines acknowledged so far (always a prefix: answers come in order).
    var acked: Int { lock.withLock { _acked } }
    var isDone: Bool { lock.withLock { _done } }
    func ackTime(of seq: Int) -> Date { lock.withLock { _ackTimes[seq - 1] } }
    func isParked(generation: Int) -> Bool { lock.withLock { _parkedIn == generation } }
    func setParked(generation: Int) { lock.withLock { _parkedIn = generation } }
    func forget(_ seqs: ClosedRange<Int>) { lost.formUnion(seqs) }

    /// The highest seq of this source in the database (0 if none).
    func committedSeq(in fleet: ProducerFleet) -> Int {
        guard let database = try? fleet.openDatabase() else { return -1 }
        return (try? DatabaseRows.count(database, "SELECT highest_seq FROM sources WHERE source = '\(source)'")) ?? -1
    }

    func run(fleet: ProducerFleet) {
        var everSent = 0
        while acked < events.count {
            let generation = fleet.currentGeneration
            guard let client = try? LineClient(path: fleet.ingestSocket, timeoutSeconds: 60) else {
                fleet.park(self, connectedIn: generation)
                continue
            }
            let firstNew = everSent  // lines from here on are sent for the first time
            var sent = acked
            do {
                while acked < events.count {
                    let inFlight = sent - acked
                    if sent < events.count && inFlight + Self.chunk <= Self.window {
                        let end = min(events.count, sent + Self.chunk)
                        try client.send(Array(lines[sent..<end].joined()))
                        sent = end
                        everSent = max(everSent, sent)
                    } else {
                        guard let line = try client.readLine() else { throw TestFailure("closed") }
                        record(line, index: acked, firstTime: acked >= firstNew)
                    }
                }
            } catch {
                fleet.park(self, connectedIn: generation)
            }
        }
        lock.withLock { _done = true }
        fleet.park(self, connectedIn: -1)  // wakes anyone waiting; returns at once
    }

    private func record(_ line: String, index: Int, firstTime: Bool) {
        let answer = IngestTests.outcome(line)
        if answer != "ok" && answer != "duplicate" {
            unexpected.append("seq \(index + 1): \(line)")
        } else if firstTime && answer != expected[index] {
            unexpected.append("seq \(index + 1) (first send): \(answer), expected \(expected[index])")
        } else if !firstTime && expected[index] == "duplicate" && answer != "duplicate" {
            unexpected.append("seq \(index + 1) (retry): \(answer), expected duplicate")
        }
        if !firstTime { retried += 1 }
        lock.withLock {
            _ackTimes[index] = Date()
            _acked = index + 1
        }
    }
}
