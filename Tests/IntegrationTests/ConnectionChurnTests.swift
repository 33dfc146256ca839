import Foundation
import Glibc
import Testing

/// Connections opened and closed fast, idle ones, and a daemon out of descriptors.
@Suite("Connection churn", .serialized)
struct ConnectionChurnTests {
    static let cycles = Soak.size(suite: 20_000, soak: 2_000_000)

    /// Connects to `path`, sends `bytes`, closes: as fast as it can, `count` times; counts the
    /// connections made in `connected` (under load a connect can fail while the backlog is full).
    static func churn(_ path: String, sending bytes: String, count: Int, connected: LockedCounter = LockedCounter()) -> Thread {
        Thread {
            for _ in 0..<count {
                guard let client = try? LineClient(path: path) else { continue }
                connected.add(1)
                if !bytes.isEmpty { try? client.send(bytes) }
            }
        }
    }

    @Test("control and ingest connections churned from two threads at once: no crash, nothing left open")
    func twoKindsOfChurn() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        let files = daemon.openFiles()
        let rss = daemon.memoryKB()
        let started = Date()
        let producers = LockedCounter()
        let threads = [
            Self.churn(daemon.controlSocket, sending: "", count: Self.cycles),
            Self.churn(daemon.ingestSocket, sending: #"{"type":"sha"#, count: Self.cycles, connected: producers),
        ]
        threads.forEach { $0.start() }
        #expect(eventually(timeout: Double(Self.cycles) / 20) { threads.allSatisfy(\.isFinished) })
        let seconds = Date().timeIntervalSince(started)
        #expect(daemon.process.isRunning, "sharetrackd died under churn:\n\(daemon.log)")
        // A client may connect and close before the daemon accepts it: it is still in the listen
        // backlog, and "open" can read 0 between two accepts. Wait until every one was accepted.
        #expect(eventually(timeout: 30) {
            (try? daemon.connections()).map { $0["open"] == 0 && $0["total"] == producers.value + 1 } ?? false
        })
        let connections = try daemon.connections()
        print("\(Self.cycles) control and \(Self.cycles) ingest connect/close cycles in \(Int(seconds)) s: "
              + "\(connections), descriptors \(files) -> \(daemon.openFiles()), RSS \(rss) -> \(daemon.memoryKB()) KB")
        #expect(connections["refused"] == 0)
        #expect(connections["total"] == producers.value + 1)  // and waitUntilListening's probe
        #expect(producers.value > Self.cycles / 2)
        #expect(eventually(timeout: 5) { daemon.openFiles() <= files })
        // What a connection holds is freed with it (a few MB of allocator slack, whatever the count).
        #expect(daemon.memoryKB() - rss < 64 * 1024)
        #expect(try daemon.stop() == 0)
    }

    @Test("closed ingest connections do not count against max_connections")
    func closedConnectionsDoNotCount() throws {
        let daemon = try DaemonProcess(arguments: ["--max-connections", "8"])
        let connected = LockedCounter()
        let churn = Self.churn(daemon.ingestSocket, sending: #"{"type":"share","sh"#, count: 3_000, connected: connected)
        churn.start()
        #expect(eventually(timeout: 300) { churn.isFinished })
        #expect(eventually(timeout: 10) { (try? daemon.connections()["total"]) == connected.value + 1 })
        let connections = try daemon.connections()
        #expect(connections["refused"] == 0, "\(connections)")
        #expect(try daemon.stop() == 0)
    }

    @Test("clients that hang up while their answers wait for a commit (the journal locked) free their slots; one that only shuts down its sending side keeps its own")
    func hungUpWhileWaitingForACommit() throws {
        let daemon = try DaemonProcess(arguments: ["--max-connections", "3", "--flush-interval", "0.2"])
        let shell = try SQLiteShell(database: daemon.database + ".journal")
        try shell.execute("BEGIN EXCLUSIVE;")
        let halfClosed = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 30)
        try halfClosed.send(#"{"type":"click","share":"h","source":"half","seq":1}"# + "\n")
        halfClosed.finishWriting()
        for seq in 1...5 {
            let client = try LineClient(path: daemon.ingestSocket)
            try client.send(#"{"type":"click","share":"h","source":"gone","seq":\#(seq)}"# + "\n")
            usleep(300_000)
            client.close()
        }
        let next = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 30)
        try next.send(#"{"type":"click","share":"h","source":"next","seq":1}"# + "\n")
        #expect(eventually(timeout: 5) { (try? daemon.connections()["open"]) == 2 })
        #expect(try daemon.connections()["refused"] == 0)
        try shell.execute("ROLLBACK;")
        shell.quit()
        #expect(try next.readLine() == #"{"ok":true}"#)
        #expect(try halfClosed.readLine() == #"{"ok":true}"#)
        #expect(try daemon.stop() == 0)
    }

    @Test("one connection over max_connections is told why in one line, then closed")
    func refusedConnectionIsTold() throws {
        let daemon = try DaemonProcess(arguments: ["--max-connections", "2"])
        let open = try (0..<2).map { _ in try LineClient(path: daemon.ingestSocket) }
        #expect(eventually(timeout: 5) { (try? daemon.connections()["open"]) == 2 })
        let refused = try LineClient(path: daemon.ingestSocket)
        let line = try refused.readLine()
        let answer = try LineClient.decode(line ?? "{}")
        #expect(answer["ok"] as? Bool == false && answer["error"] as? String == "overloaded")
        #expect((answer["message"] as? String)?.contains("max_connections") == true)
        #expect(try refused.readLine() == nil)
        #expect(open.count == 2)
        let metrics = try SharectlTests.sharectl(["metrics", "--socket", daemon.controlSocket]).stdout
        #expect(metrics.contains("sharetrack_connections_refused_total 1"), "\(metrics)")
        #expect(try daemon.stop() == 0)
    }

    @Test("idle_timeout closes silent ingest and control connections; one that keeps talking stays; 0 closes none")
    func idleTimeout() throws {
        let daemon = try DaemonProcess(arguments: ["--idle-timeout", "2s"])
        let idleProducer = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 10)
        let idleOperator = try LineClient(path: daemon.controlSocket, timeoutSeconds: 10)
        let talker = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 10)
        let started = Date()
        let click = #"{"type":"click","share":"t1"}"# + "\n"
        for _ in 0..<12 {
            try talker.send(click)
            usleep(500_000)
        }
        #expect(try idleProducer.readLine() == nil)
        #expect(try idleOperator.readLine() == nil)
        // Closed after 2 s of silence, found by a check once a second; the talker (6 s) was not.
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try talker.readLines(12).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try daemon.stop() == 0)

        let patient = try DaemonProcess(arguments: ["--idle-timeout", "0"])
        let quiet = try LineClient(path: patient.ingestSocket, timeoutSeconds: 4)
        #expect(throws: TestFailure.self) { try quiet.readLine() }  // timed out: still open
        #expect(try patient.connections()["open"] == 1)
        #expect(try patient.stop() == 0)
    }

    @Test("idle_timeout spares a client that still takes its answers, slowly: every line answered, on either socket",
          arguments: [(control: false, count: 30_000, chunk: 16_384), (control: true, count: 200, chunk: 4096)])
    func slowReaderIsNotIdle(control: Bool, count: Int, chunk: Int) throws {
        let daemon = try DaemonProcess(arguments: ["--idle-timeout", "1", "--ack", "receive"])
        let client = try LineClient(path: control ? daemon.controlSocket : daemon.ingestSocket, timeoutSeconds: 10)
        // The answers (360 KB of ingest's, about 270 KB of `status`) are more than the sockets'
        // buffers hold: the client takes them `chunk` bytes at a time, every 0.2 s, sending
        // nothing more, for longer than the timeout.
        let request = control ? #"{"command":"status"}"# : #"{"type":"click","share":"slow"}"#
        try client.send(String(repeating: request + "\n", count: count))
        var (answers, buffer) = (0, [UInt8](repeating: 0, count: chunk))
        let started = Date()
        while answers < count && Date().timeIntervalSince(started) < 30 {
            let read = client.withFileDescriptor { recv($0, &buffer, buffer.count, 0) }
            guard read > 0 else { break }
            answers += buffer[..<read].count { $0 == 0x0A }
            usleep(200_000)
        }
        #expect(answers == count, "closed after \(Date().timeIntervalSince(started)) s")
        #expect(Date().timeIntervalSince(started) > 2)
        #expect(try daemon.stop() == 0)
    }

    @Test("out of descriptors: waiting clients are refused with a reason and counted, the daemon does not spin, and recovers")
    func outOfDescriptors() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        let limit = daemon.openFiles() + 10
        let lowered = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--nofile=\(limit):\(limit)"])
        #expect(lowered.status == 0, "\(lowered.output)")
        var clients: [LineClient] = []
        var refusal: [String: Any]?
        for _ in 0..<40 where refusal == nil {
            let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 5)
            if eventually(timeout: 1, { client.hasInput }) {
                refusal = try LineClient.decode(try client.readLine() ?? "{}")
            } else {
                clients.append(client)
            }
        }
        #expect(refusal?["error"] as? String == "overloaded", "\(refusal ?? [:])")
        #expect((refusal?["message"] as? String)?.contains("file descriptors") == true)
        // More clients knock while the daemon is at its limit: each is refused, none is left spinning on.
        let knocking = try (0..<5).map { _ in try LineClient(path: daemon.ingestSocket, timeoutSeconds: 5) }
        let cpu = daemon.cpuSeconds()
        sleep(2)
        let used = daemon.cpuSeconds() - cpu
        print("at the descriptor limit (\(clients.count) clients held): \(used) s of CPU in 2 s")
        #expect(used < 0.5)
        for client in knocking { #expect(try client.readLine()?.contains("overloaded") == true) }
        #expect(daemon.log.contains("out of file descriptors"))
        clients.removeAll()
        #expect(eventually(timeout: 5) { (try? daemon.connections()["open"]) == 0 })
        // Counted with those refused over max_connections.
        #expect(try daemon.connections()["refused"] == 6)
        let producer = try LineClient(path: daemon.ingestSocket)
        #expect(try producer.exchange([#"{"type":"click","share":"t1"}"#]) == [#"{"ok":true}"#])
        #expect(try daemon.stop() == 0)
    }
}
