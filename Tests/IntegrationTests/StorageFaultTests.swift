import Foundation
import Glibc
import ShareTrackStore
import Testing

/// SQLite faults while the daemon runs: the journal or the database locked by another process, the
/// disk full, a file made unwritable. The daemon keeps running and keeps the deltas, reports the
/// error in `status` and the log, withholds `ok` in commit mode while the journal cannot be written,
/// and commits everything once the fault is gone. While only the database cannot be written, the
/// journal keeps answering, and the tables catch up afterwards.
@Suite("Storage faults", .serialized)
struct StorageFaultTests {
    static let canMountTmpfs: Bool = {
        guard getuid() == 0, let directory = try? DaemonProcess.makeTemporaryDirectory() else { return false }
        defer { rmdir(directory) }
        guard mount("tmpfs", directory, "tmpfs", 0, "size=1m") == 0 else { return false }
        umount2(directory, 0)
        return true
    }()

    static let canMakeImmutable: Bool = {
        guard let directory = try? DaemonProcess.makeTemporaryDirectory() else { return false }
        let file = directory + "/probe"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        guard setImmutable(file, true) else { return false }
        let writable = open(file, O_WRONLY)
        if writable >= 0 { close(writable) }
        _ = setImmutable(file, false)
        return writable < 0
    }()

    /// `chattr +i` / `chattr -i`: the immutable attribute (FS_IOC_SETFLAGS, FS_IMMUTABLE_FL).
    static func setImmutable(_ path: String, _ on: Bool) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var flags: Int32 = 0
        guard ioctl(fd, 0x8008_6601, &flags) == 0 else { return false }
        flags = on ? flags | 0x10 : flags & ~0x10
        return ioctl(fd, 0x4008_6602, &flags) == 0
    }

    /// Events from one source, with the answers the model expects for them.
    struct Batch {
        var events: [TestEvent]
        var model: ReferenceModel
        var expected: [String]

        init(count: Int, seed: UInt64, source: String = "kiosk", bulky: Bool = false) {
            var stream = EventStream(seed: seed)
            events = stream.make(count: count, tokenPrefix: "f\(seed)", source: source)
            if bulky {  // long names make for many pages to write
                events = events.map { event in
                    guard case .share(_, let venue, let followers) = event.kind else { return event }
                    var copy = event
                    copy.kind = .share(advocate: String(repeating: "a", count: 100) + event.token, venue: venue,
                                       followers: followers)
                    return copy
                }
            }
            var model = ReferenceModel()
            expected = events.map { model.apply($0) }
            self.model = model
        }
    }

    /// Sends the batch and checks that no answer comes while the fault lasts (`holdFor` seconds, many
    /// flush intervals), that `status` reports the failing flush with `reason`, and that the daemon
    /// keeps everything pending. Then `clear` removes the fault and every answer must arrive, right.
    func expectWithheldThenCommitted(_ daemon: DaemonProcess, _ batch: Batch, holdFor: Double, reason: [String],
                                     clear: () throws -> Void) throws {
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 60)
        try client.send(lines: batch.events.map(\.line))
        client.setReceiveTimeout(seconds: holdFor)
        #expect(throws: (any Error).self, "an answer came while the database could not be written") {
            try client.readLine()
        }
        #expect(daemon.process.isRunning, "\(daemon.log.suffix(2000))")
        let status = try daemon.status()
        let lastFlush = status["last_flush"] as? [String: Any]
        let error = lastFlush?["error"] as? String ?? ""
        #expect(reason.contains { error.localizedCaseInsensitiveContains($0) }, "last_flush: \(lastFlush ?? [:])")
        #expect(StatusNumbers(status).pendingEvents >= batch.events.count)
        let text = try SharectlTests.sharectl(["status", "--socket", daemon.controlSocket]).stdout
        #expect(text.contains("failed at generation") && text.contains("retried at the next flush"), "\(text)")
        #expect(eventually { daemon.log.contains("flush failed") }, "\(daemon.log.suffix(1000))")
        // Queries still answer from memory while the database cannot be written.
        #expect(try daemon.control(#"{"command":"metrics"}"#)["ok"] as? Bool == true)

        try clear()
        client.setReceiveTimeout(seconds: 30)
        let answers = try client.readLines(batch.events.count).map(IngestTests.outcome)
        let wrong = zip(answers, batch.expected).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(wrong.isEmpty, "\(wrong.count) wrong answers, first: \(wrong.prefix(3))")
        #expect(try eventually { (try daemon.status()["last_flush"] as? [String: Any])?["error"] == nil })
        let database = try daemon.openDatabase()
        #expect(sameCounters(try DatabaseRows.counters(database), batch.model.counters))
        #expect(try DatabaseRows.shareFollowers(database) == batch.model.shares)
    }

    @Test("the journal held locked by another process for many flush intervals, then released")
    func journalLockedByAnotherProcess() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: Journal.path(of: daemon.database))
        try shell.execute("BEGIN EXCLUSIVE;")
        let batch = Batch(count: 2000, seed: 11)
        try expectWithheldThenCommitted(daemon, batch, holdFor: 2.5, reason: ["locked", "busy"]) {
            try shell.execute("ROLLBACK;")
            shell.quit()
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("the database locked by another process: the journal answers, the tables catch up once released")
    func databaseLockedByAnotherProcess() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        let batch = Batch(count: 2000, seed: 16)
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 30)
        try client.send(lines: batch.events.map(\.line))
        #expect(try client.readLines(batch.events.count).map(IngestTests.outcome) == batch.expected)
        func flushError() throws -> String? { (try daemon.status()["last_flush"] as? [String: Any])?["error"] as? String }
        #expect(try eventually { try flushError()?.contains("applying generation") == true })
        // The log is read from a pipe, so it may lag the status: wait for the line.
        #expect(eventually { daemon.log.contains("applying a batch failed") }, "\(daemon.log.suffix(1000))")
        try shell.execute("ROLLBACK;")
        shell.quit()
        #expect(try eventually { try flushError() == nil })
        let database = try daemon.openDatabase()
        #expect(sameCounters(try DatabaseRows.counters(database), batch.model.counters))
        #expect(try DatabaseRows.shareFollowers(database) == batch.model.shares)
        #expect(try daemon.stop() == 0)
    }

    @Test("SIGTERM while the journal is locked: the daemon retries, and commits and answers once it is released")
    func shutdownWhileLocked() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: Journal.path(of: daemon.database))
        try shell.execute("BEGIN EXCLUSIVE;")
        let batch = Batch(count: 500, seed: 12)
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 30)
        try client.send(lines: batch.events.map(\.line))
        usleep(500_000)
        kill(daemon.pid, SIGTERM)
        usleep(1_000_000)
        #expect(daemon.process.isRunning)
        // A second SIGTERM meanwhile is answered in the log at once.
        kill(daemon.pid, SIGTERM)
        #expect(eventually { daemon.log.contains("SIGTERM again: still stopping") }, "\(daemon.log.suffix(1000))")
        shell.quit()
        #expect(try daemon.waitForExit() == 0, "\(daemon.log.suffix(1000))")
        #expect(try client.readLines(batch.events.count).map(IngestTests.outcome) == batch.expected)
        let database = try daemon.openDatabase()
        #expect(sameCounters(try DatabaseRows.counters(database), batch.model.counters))
    }

    @Test("SIGTERM while the journal stays locked: the daemon gives up, exits non-zero, acknowledges nothing")
    func shutdownWhileLockedForGood() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: Journal.path(of: daemon.database))
        try shell.execute("BEGIN EXCLUSIVE;")
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 60)
        try client.send(lines: Batch(count: 10, seed: 12).events.map(\.line))
        usleep(500_000)
        let status = try daemon.stop(signal: SIGTERM, timeout: 60)
        shell.quit()
        #expect(try client.readLine() == nil)
        #expect(status != 0)
        #expect(daemon.log.contains("uncommitted"), "\(daemon.log.suffix(1000))")
    }

    @Test("past max_pending_rows while the database is locked: overloaded, not a crash; retried, counted once")
    func overloadedWhileLocked() throws {
        // The suite sets the bound to 100,000 rows; soak keeps the default, 2,000,000.
        let bound = Soak.size(suite: 100_000, soak: 2_000_000)
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2", "--ack", "receive",
                                                   "--max-pending-rows", String(bound)])
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        // Each click brings a new visitor pair: one row each.
        let total = bound + bound / 20
        let lines = (1...total).map { #"{"type":"click","share":"viral","visitor":"v\#($0)","source":"r","seq":\#($0)}"# }
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 120)
        let writer = Thread {
            for start in stride(from: 0, to: lines.count, by: 10_000) {
                try? client.send(lines: Array(lines[start..<min(lines.count, start + 10_000)]))
            }
        }
        writer.start()
        var firstRefused: Int?
        for index in 0..<total {
            let answer = try client.nextCode()
            if answer == "overloaded" { firstRefused = firstRefused ?? index } else {
                #expect(firstRefused == nil && answer == "ok", "line \(index + 1): \(answer)")
            }
        }
        let refusedAt = try #require(firstRefused)
        #expect(refusedAt <= bound && refusedAt >= bound * 9 / 10)
        print("overloaded from line \(refusedAt + 1); peak RSS \(daemon.memoryKB("VmHWM") / 1024) MB")
        shell.quit()
        // The bound counts the rows held until the tables have them: wait for the applying too.
        #expect(try eventually(timeout: 120) {
            let status = try daemon.status()
            return StatusNumbers(status).pendingEvents == 0 && (status["applying"] as? [String: Any])?["batches"] as? Int == 0
        })
        // Retry from the first refused seq (written from another thread: far more than the socket
        // buffers hold, and the daemon stops reading from a client that does not read): counted once.
        let retries = Array(lines[refusedAt...])
        let retrier = Thread {
            for start in stride(from: 0, to: retries.count, by: 10_000) {
                try? client.send(lines: Array(retries[start..<min(retries.count, start + 10_000)]))
            }
        }
        retrier.start()
        for index in retries.indices {
            let answer = try client.nextCode()
            #expect(answer == "ok", "retry \(index): \(answer)")
            if answer != "ok" { break }
        }
        #expect(try daemon.stop() == 0)
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(unique_clicks) FROM counters") == total)
    }

    @Test("disk full (a 6 MB tmpfs filled up), then space freed", .enabled(if: canMountTmpfs))
    func diskFull() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        try #require(mount("tmpfs", directory, "tmpfs", 0, "size=6m,mode=0700") == 0)
        defer { umount2(directory, Int32(MNT_DETACH)) }
        let daemon = try DaemonProcess(directory: directory, arguments: ["--flush-interval", "0.2"])
        defer { if daemon.process.isRunning { _ = try? daemon.stop(signal: SIGKILL) } }
        // Fill what is left.
        let filler = directory + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0, count: 64 * 1024)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        let full = errno
        close(fd)
        #expect(full == ENOSPC)
        let batch = Batch(count: 3000, seed: 13, bulky: true)
        try expectWithheldThenCommitted(daemon, batch, holdFor: 2, reason: ["full", "disk I/O"]) {
            unlink(filler)
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a file size limit (RLIMIT_FSIZE) at the WAL's present size, then lifted")
    func fileSizeLimit() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        // Only the soft limit: it can be lifted again without CAP_SYS_RESOURCE. The daemon's writes
        // run on dispatch worker threads, which block SIGXFSZ, so a write past the limit fails (EFBIG).
        var info = stat()
        try #require(stat(daemon.database + "-wal", &info) == 0)
        let limit = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=\(info.st_size):unlimited"])
        try #require(limit.status == 0, "\(limit.output)")
        let batch = Batch(count: 1000, seed: 14)
        try expectWithheldThenCommitted(daemon, batch, holdFor: 2, reason: ["full", "disk I/O"]) {
            let lifted = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=unlimited:unlimited"])
            #expect(lifted.status == 0, "\(lifted.output)")
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a backup that fails half-way (a file size limit) leaves no file behind; lifted, it is written")
    func backupPastFileSizeLimit() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        _ = try client.exchange(Batch(count: 2000, seed: 15).events.map(\.line))
        #expect(try eventually { (try daemon.status()["pending"] as? [String: Any])?["events"] as? Int == 0 })
        let directory = daemon.directory + "/backups"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let limit = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=32768:unlimited"])
        try #require(limit.status == 0, "\(limit.output)")
        let failed = try SharectlTests.sharectl(["backup", directory + "/b.db", "--socket", daemon.controlSocket])
        #expect(failed.status != 0, "\(failed.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=unlimited:unlimited"]).status == 0)
        let written = try SharectlTests.sharectl(["backup", directory + "/b.db", "--socket", daemon.controlSocket])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["b.db"])
        #expect(try daemon.stop() == 0)
    }

    @Test("a backup removes the partial files that backups a kill cut short left in its directory, not one a backup is writing, nor one another process has open in a SQLite transaction, nor other files")
    func abandonedBackupPartials() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let directory = daemon.directory + "/backups"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // What daemons killed during backups leave (the copy so far, its rollback journal, or an
        // empty file), a partial file another backup holds locked while it writes it, and files
        // that only look like partial ones.
        let database = Data("SQLite format 3\0".utf8) + Data(count: 100)
        let files: [(String, Data)] = [
            ("b.db.partial-Ab3dE9", database), ("b.db.partial-Ab3dE9-journal", Data("j".utf8)),
            ("daily-2026-12-05.db.partial-Qw3rTy", Data()), ("b.db.partial-Wr1t1n", database),
            ("b.db.partial-v1.bak", database), ("notes.partial-Zz9zZ9", Data("not a database".utf8)),
        ]
        for (name, contents) in files {
            #expect(FileManager.default.createFile(atPath: directory + "/" + name, contents: contents))
        }
        let writing = open(directory + "/b.db.partial-Wr1t1n", O_RDONLY)
        defer { close(writing) }
        #expect(flock(writing, LOCK_EX) == 0)
        // A database of that name shape that this process writes in a transaction of its own.
        let used = try Database(path: directory + "/data.partial-Us3d42", mode: .readWrite)
        try used.execute("BEGIN IMMEDIATE; CREATE TABLE t (x)")
        let written = try SharectlTests.sharectl(["backup", directory + "/b.db", "--socket", daemon.controlSocket])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            == ["b.db", "b.db.partial-Wr1t1n", "b.db.partial-v1.bak", "data.partial-Us3d42", "data.partial-Us3d42-journal",
                "notes.partial-Zz9zZ9"])
        try used.execute("COMMIT")
        #expect(try daemon.stop() == 0)
    }

    @Test("the journal file made unwritable (chattr +i; root ignores file modes), then writable again",
          .enabled(if: canMakeImmutable))
    func unwritableFile() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let journal = Journal.path(of: daemon.database)
        let files = [journal, journal + "-wal"]
        try #require(files.allSatisfy { Self.setImmutable($0, true) })
        defer { for file in files { _ = Self.setImmutable(file, false) } }
        let batch = Batch(count: 1000, seed: 15)
        try expectWithheldThenCommitted(daemon, batch, holdFor: 2, reason: ["disk I/O", "readonly", "read-only"]) {
            #expect(files.allSatisfy { Self.setImmutable($0, false) })
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a stale socket that cannot be removed (its directory immutable) is named as such, not as in use",
          .enabled(if: canMakeImmutable))
    func staleSocketNotRemovable() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let sockets = directory + "/sockets"
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        let arguments = ["--ingest-socket", sockets + "/i.sock", "--control-socket", sockets + "/c.sock"]
        let stale = try DaemonProcess(directory: directory, arguments: arguments, waitForReady: false)
        #expect(eventually { (try? LineClient(path: sockets + "/c.sock")) != nil })
        try stale.stop(signal: SIGKILL)  // leaves its socket files behind
        try #require(Self.setImmutable(sockets, true))
        defer { _ = Self.setImmutable(sockets, false) }
        let refused = try DaemonProcess(directory: directory, arguments: arguments, waitForReady: false)
        #expect(try refused.waitForExit() != 0)
        #expect(refused.log.contains("cannot remove the stale socket \(sockets)/i.sock"), "\(refused.log)")
    }

    @Test("a database file that cannot be opened for writing stops the start with a clear message",
          .enabled(if: canMakeImmutable))
    func unwritableAtStart() throws {
        let first = try DaemonProcess()
        #expect(try first.stop() == 0)
        try #require(Self.setImmutable(first.database, true))
        defer { _ = Self.setImmutable(first.database, false) }
        let daemon = try DaemonProcess(directory: first.directory, waitForReady: false)
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("read-only") || daemon.log.contains("readonly"), "\(daemon.log)")
    }
}

extension LineClient {
    func setReceiveTimeout(seconds: Double) {
        withFileDescriptor { fd in
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }
}
