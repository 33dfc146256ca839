import Foundation
import Glibc
import ShareTrackStore
import Testing

/// The control socket's bounds: numbers from outside, request size and time, connections, clients
/// that do not read, and queries that must not hold up `status`.
@Suite("Control plane", .serialized)
struct ControlPlaneTests {
    static let queryCommands = [
        #""command":"top""#, #""command":"venues""#, #""command":"tiers""#,
        #""command":"advocate","query":{"id":"a1","#, #""command":"share","query":{"id":"t1","#,
    ]

    @Test("query times at the Int64 limits are refused on every query command, and the daemon stays up")
    func timesAtTheLimits() throws {
        let daemon = try DaemonProcess()
        for command in Self.queryCommands {
            for filter in [#"{"until":9223372036854775807}"#, #"{"since":-9223372036854775808}"#,
                           #"{"since":9223372036854775807}"#, #"{"until":-9223372036854775808}"#] {
                let query = command.hasSuffix(",") ? "\(command)\"filter\":\(filter)}" : "\(command),\"query\":{\"filter\":\(filter)}"
                let answer = try daemon.control("{\(query)}")
                #expect(answer["error"] as? String == "bad_request", "\(query): \(answer)")
                #expect((answer["message"] as? String)?.contains("seconds since the epoch") == true)
            }
        }
        #expect(try daemon.status()["pid"] as? Int == Int(daemon.pid))
        #expect(try daemon.stop() == 0)
    }

    @Test("query.filter is optional; a repeated member name is bad_json")
    func optionalFilterAndDuplicateNames() throws {
        let daemon = try DaemonProcess()
        #expect(try daemon.control(#"{"command":"top","query":{"limit":5}}"#)["ok"] as? Bool == true)
        #expect(try daemon.control(#"{"command":"venues","query":{}}"#)["ok"] as? Bool == true)
        #expect(try daemon.control(#"{"command":"top","command":"status"}"#)["error"] as? String == "bad_json")
        #expect(try daemon.control(#"{"command":"top","query":{"limit":1,"limit":2}}"#)["error"] as? String == "bad_json")
        #expect(try daemon.stop() == 0)
    }

    @Test("blank lines (empty, a lone carriage return) get no answer: the next request's answer comes next")
    func blankLines() throws {
        let daemon = try DaemonProcess()
        let client = try LineClient(path: daemon.controlSocket)
        try client.send(Array("\n\r\n\n{\"command\":\"status\"}\n\r\n{\"command\":\"metrics\"}\n".utf8))
        let first = try LineClient.decode(try #require(try client.readLine()))
        #expect((first["result"] as? [String: Any])?["pid"] as? Int == Int(daemon.pid), "\(first)")
        let second = try LineClient.decode(try #require(try client.readLine()))
        #expect(((second["result"] as? [String: Any])?["text"] as? String)?.contains("sharetrack_") == true, "\(second)")
        #expect(try daemon.stop() == 0)
    }

    @Test("silent half-requests: at most 64 connections, overdue requests closed, descriptors and memory bounded")
    func silentHalfRequests() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        let files = daemon.openFiles()
        let rss = daemon.memoryKB()
        let clients = try (0..<200).map { _ in
            let client = try LineClient(path: daemon.controlSocket, timeoutSeconds: 30)
            try? client.send(#"{"command":"sta"#)  // one past the cap may have been refused already
            return client
        }
        // Those past the cap are told why and let go at once.
        #expect(eventually(timeout: 10) { clients.filter(\.hasInput).count >= 136 })
        let refused = clients.filter(\.hasInput)
        let held = clients.filter { !$0.hasInput }
        #expect(refused.count == 136)
        for client in refused {
            let line = try client.readLine()
            #expect(line.map { try? LineClient.decode($0)["error"] as? String } == "busy", "\(line ?? "closed")")
            #expect(try client.readLine() == nil)
        }
        let heldFiles = daemon.openFiles()
        let heldRSS = daemon.memoryKB()
        print("200 silent half-requests: \(heldFiles - files) more descriptors, RSS +\(heldRSS - rss) KB")
        #expect(heldFiles <= files + 64)
        #expect(heldRSS - rss < 16 * 1024)
        // Ingest is not touched; the control socket says why it cannot answer now.
        let producer = try LineClient(path: daemon.ingestSocket)
        #expect(try producer.exchange([#"{"type":"share","share":"s1","advocate":"a","venue":"v","network":"x","followers":1}"#])
                == [#"{"ok":true}"#])
        let refusedStatus = try LineClient(path: daemon.controlSocket, timeoutSeconds: 10)
        try? refusedStatus.send(#"{"command":"status"}"# + "\n")  // the daemon may have hung up already
        #expect(try refusedStatus.readLine().map { try LineClient.decode($0)["error"] as? String } == "busy")
        // A request that has not ended 10 s after it began is answered bad_request and closed.
        for client in held {
            let line = try client.readLine()
            #expect(line.map { try? LineClient.decode($0)["error"] as? String } == "bad_request", "\(line ?? "closed")")
            #expect(try client.readLine() == nil)
        }
        #expect(try daemon.status()["pid"] as? Int == Int(daemon.pid))
        // (A little slack: the daemon may open a file of its own meanwhile.)
        #expect(eventually(timeout: 10) { daemon.openFiles() <= files + 2 })
        #expect(try daemon.stop() == 0)
    }

    @Test("a request of more than 16 KiB is refused and its connection closed")
    func longRequest() throws {
        let daemon = try DaemonProcess()
        for ending in ["", "\n"] {
            let client = try LineClient(path: daemon.controlSocket, timeoutSeconds: 10)
            client.setSendTimeout(seconds: 5)
            try? client.send(#"{"command":"status","x":""# + String(repeating: "x", count: 20_000) + ending)
            let line = try client.readLine()
            #expect(line.map { try? LineClient.decode($0)["error"] as? String } == "bad_request", "\(line ?? "closed")")
            #expect(try client.readLine() == nil)
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a client that pipelines requests without reading is not read from; every request is answered once it reads, also after more than the 10 s a request may take")
    func pipeliningWithoutReading() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        let rss = daemon.memoryKB()
        let client = try LineClient(path: daemon.controlSocket, timeoutSeconds: 30)
        client.setSendTimeout(seconds: 2)
        let request = Array(String(repeating: #"{"command":"metrics"}"# + "\n", count: 1000).utf8)
        var sent = 0
        while sent < 64 << 20, (try? client.send(request)) != nil { sent += request.count }
        let grown = daemon.memoryKB() - rss
        print("a client that does not read: the daemon took \(sent >> 10) KB of requests, RSS +\(grown) KB")
        #expect(sent < 8 << 20, "the daemon read \(sent >> 20) MB from a client that never reads")
        #expect(grown < 32 * 1024)
        // Reading later: one answer for every whole request sent (the last, cut by the timeout, is not whole).
        sleep(11)
        client.finishWriting()
        var answers = 0
        while let line = try client.readLine() {
            #expect(line.hasPrefix(#"{"ok":true"#))
            answers += 1
        }
        #expect(answers >= sent / 22 - 1000 && answers <= sent / 22 + 1000)
        #expect(try daemon.stop() == 0)
    }

    @Test("a slow query does not hold up status; past 4 queries at once, one more is answered busy")
    func slowQueries() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DaemonProcess(directory: directory).stop()
        try MemoryTests.bulkInsert(directory + "/sharetrack.db", count: 300_000)
        // Rollups not built yet, as for an older database: until they are, the trend reads every
        // counter row, slow enough for eight requests sent at once to find the first still running.
        try Database(path: directory + "/sharetrack.db", mode: .readWrite).execute("INSERT INTO rollup_progress VALUES ('')")
        let daemon = try DaemonProcess(directory: directory)
        let trend = #"{"command":"trend"}"#
        let started = Date()
        #expect(try daemon.control(trend)["ok"] as? Bool == true)
        let trendSeconds = Date().timeIntervalSince(started)
        print("trend over 300,000 shares: \(Int(trendSeconds * 1000)) ms")
        let queries = try (0..<8).map { _ in
            let client = try LineClient(path: daemon.controlSocket, timeoutSeconds: 120)
            try client.send(trend + "\n")
            return client
        }
        let asked = Date()
        for command in ["status", "metrics"] {
            #expect(try daemon.control(#"{"command":"\#(command)"}"#)["ok"] as? Bool == true)
        }
        let statusSeconds = Date().timeIntervalSince(asked)
        // The queries run one after another, a third of a second each: the last cannot have answered yet.
        let unanswered = queries.filter { !$0.hasInput }.count
        let answers = try queries.map { try LineClient.decode(try $0.readLine() ?? "{}") }
        let busy = answers.filter { $0["error"] as? String == "busy" }.count
        let ok = answers.filter { $0["ok"] as? Bool == true }.count
        print("status and metrics during 8 queries: \(Int(statusSeconds * 1000)) ms; \(unanswered) queries unanswered then; \(ok) ok, \(busy) busy")
        if trendSeconds > 0.1 { #expect(unanswered >= 1) }
        #expect(ok >= 4 && busy >= 1 && ok + busy == 8)
        // sharectl asks again while the daemon is busy: a report (many queries) beside 4 more.
        let more = try (0..<4).map { _ in
            let client = try LineClient(path: daemon.controlSocket, timeoutSeconds: 120)
            try client.send(trend + "\n")
            return client
        }
        let report = try SharectlTests.sharectl(["report", "--socket", daemon.controlSocket, "--output", directory + "/r.html"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try more.allSatisfy { try LineClient.decode(try $0.readLine() ?? "{}")["ok"] as? Bool == true })
        #expect(try daemon.stop() == 0)
    }
}

extension LineClient {
    /// Whether an answer (or the end of the stream) is waiting to be read.
    var hasInput: Bool {
        withFileDescriptor { fd in
            var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return Glibc.poll(&poll, 1, 0) == 1
        }
    }
}
