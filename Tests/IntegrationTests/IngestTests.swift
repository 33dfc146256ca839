import Foundation
import Glibc
import ShareTrackCore
import ShareTrackStore
import Testing

/// The real daemon over its real socket, checked against the real SQLite file.
@Suite("Ingest pipeline", .serialized)
struct IngestTests {
    @Test("a pipelined mixed stream on four connections gives exactly the reference model's counters")
    func pipelinedStreamMatchesReferenceModel() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        var stream = EventStream(seed: 42)
        var model = ReferenceModel()
        var expectedResponses: [[String]] = []
        var streams: [[TestEvent]] = []
        for connection in 0..<4 {
            let events = stream.make(count: 1500, tokenPrefix: "c\(connection)",
                                     source: connection % 2 == 0 ? "kiosk\(connection)" : nil)
            streams.append(events)
            expectedResponses.append(events.map { model.apply($0) })
        }
        let clients = try (0..<4).map { _ in try LineClient(path: daemon.ingestSocket) }
        for (client, events) in zip(clients, streams) {
            try client.send(lines: events.map(\.line))
        }
        for (index, client) in clients.enumerated() {
            let responses = try client.readLines(streams[index].count).map(Self.outcome)
            #expect(responses == expectedResponses[index])
        }
        // Every response was an ack after commit, so the file holds everything now.
        let database = try daemon.openDatabase()
        let stored = try DatabaseRows.counters(database)
        #expect(sameCounters(stored, model.counters), "counters differ from the model")
        #expect(try DatabaseRows.shareFollowers(database) == model.shares)
        #expect(try daemon.stop() == 0)
    }

    @Test("a restart keeps shares, unique visitors and producer seqs")
    func restartKeepsEverything() throws {
        let first = try DaemonProcess()
        let client = try LineClient(path: first.ingestSocket)
        let share = #"{"type":"share","share":"tok1","advocate":"ann","venue":"cafe","network":"tiktok","followers":800}"#
        let click = #"{"type":"click","share":"tok1","visitor":"vis1"}"#
        #expect(try client.exchange([share, click, #"{"type":"click","share":"tok1","source":"r1","seq":7}"#])
            == [#"{"ok":true}"#, #"{"ok":true}"#, #"{"ok":true}"#])
        #expect(try first.stop() == 0)

        let second = try DaemonProcess(directory: first.directory)
        let again = try LineClient(path: second.ingestSocket)
        let responses = try again.exchange([
            share,  // known share token: first wins
            click,  // same visitor: a click, not a unique one
            #"{"type":"click","share":"tok1","source":"r1","seq":7}"#,  // seq already committed
            #"{"type":"click","share":"tok1","source":"r1","seq":8}"#,
        ])
        #expect(responses == [#"{"ok":true,"duplicate":true}"#, #"{"ok":true}"#,
                              #"{"ok":true,"duplicate":true}"#, #"{"ok":true}"#])
        let database = try second.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters") == 4)
        #expect(try DatabaseRows.count(database, "SELECT SUM(unique_clicks) FROM counters") == 3)
        #expect(try DatabaseRows.count(database, "SELECT SUM(shares) FROM counters") == 1)
        #expect(try DatabaseRows.count(database, "SELECT highest_seq FROM sources WHERE source = 'r1'") == 8)
        #expect(try second.stop() == 0)
    }

    @Test("one connection interleaving producers: each one's seq and counts survive kill -9, and a resend counts nothing")
    func interleavedProducersSurviveKill() throws {
        let first = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        let client = try LineClient(path: first.ingestSocket)
        // Producers' lines interleaved within every read: runs of one, of a few, a rejected line of
        // a producer between its others, and lines without a producer.
        var lines: [String] = []
        var seqs = [0, 0, 0]
        for index in 0..<3_000 {
            let producer = index % 7 < 3 ? 0 : index % 7 < 5 ? index % 2 + 1 : 2
            seqs[producer] += 1
            lines.append(#"{"type":"click","share":"t\#(index % 40)","source":"k\#(producer)","seq":\#(seqs[producer])}"#)
            if index % 500 == 250 { lines.append(#"{"type":"click","share":"bad token!","source":"k1","seq":999999}"#) }
            if index % 300 == 0 { lines.append(#"{"type":"click","share":"t0"}"#) }
        }
        let answers = try client.exchange(lines)
        let rejected = answers.filter { $0.contains("bad_field") }.count
        #expect(rejected == 6 && answers.allSatisfy { $0 == #"{"ok":true}"# || $0.contains("bad_field") })
        // Every answer came after its commit: a kill loses none of it.
        try first.stop(signal: SIGKILL)

        let second = try DaemonProcess(directory: first.directory)
        let database = try second.openDatabase()
        for (producer, seq) in seqs.enumerated() {
            #expect(try DatabaseRows.count(database, "SELECT highest_seq FROM sources WHERE source = 'k\(producer)'") == seq)
            #expect(try DatabaseRows.count(database, "SELECT accepted FROM sources WHERE source = 'k\(producer)'") == seq)
        }
        #expect(try DatabaseRows.count(database, "SELECT rejected FROM sources WHERE source = 'k1'") == rejected)
        // The producers resend everything: all duplicates, nothing counted again.
        let sourced = lines.filter { $0.contains("\"source\"") && !$0.contains("bad token") }
        #expect(try LineClient(path: second.ingestSocket).exchange(sourced).allSatisfy { $0 == #"{"ok":true,"duplicate":true}"# })
        #expect(try second.stop() == 0)
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters") == 3_000 + 10)
        #expect(try DatabaseRows.count(database, "SELECT SUM(duplicates) FROM sources") == sourced.count)
    }

    @Test("ack: commit answers ok only once the event is committed to the SQLite file")
    func commitAckFollowsCommit() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.5"])
        let client = try LineClient(path: daemon.ingestSocket)
        // What `sharectl --db` reads: the tables plus the journal of batches not applied yet.
        let offline = try Queries(path: daemon.database)
        for index in 0..<5 {
            let token = "ack\(index)"
            try client.send(lines: [#"{"type":"share","share":"\#(token)","advocate":"a","venue":"v","network":"x","followers":10}"#])
            #expect(try client.readLine() == #"{"ok":true}"#)
            let share = ControlRequest(command: .share, query: Query(id: token))
            #expect((try offline.answer(share, live: nil, now: Int64(time(nil))) as? ShareReport)?.totals.shares == 1)
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("once the tables hold its batches, a quiet daemon's journal holds none by the next flush interval")
    func quietJournalEmpties() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"quiet"}"#]) == [#"{"ok":true}"#])
        let journal = try Database(path: Journal.path(of: daemon.database), mode: .readOnly)
        // Before, the last batch stayed until the next one was appended: for good, with no events.
        #expect(eventually(timeout: 10) { (try? DatabaseRows.count(journal, "SELECT COUNT(*) FROM journal")) == 0 })
        #expect(try DatabaseRows.count(try daemon.openDatabase(), "SELECT SUM(clicks) FROM counters WHERE token = 'quiet'") == 1)
        #expect(try daemon.stop() == 0)
    }

    @Test("after a clean stop the database can be removed: the next start creates a new one")
    func removedDatabaseStartsAfresh() throws {
        let first = try DaemonProcess()
        #expect(try LineClient(path: first.ingestSocket).exchange([#"{"type":"click","share":"old"}"#]) == [#"{"ok":true}"#])
        #expect(try first.stop() == 0)
        for suffix in ["", "-wal", "-shm"] { unlink(first.database + suffix) }
        let second = try DaemonProcess(directory: first.directory)
        #expect(try LineClient(path: second.ingestSocket).exchange([#"{"type":"click","share":"new"}"#]) == [#"{"ok":true}"#])
        let database = try second.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT COUNT(*) FROM counters WHERE token = 'old'") == 0)
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters WHERE token = 'new'") == 1)
        #expect(try second.stop() == 0)
    }

    @Test("ack: receive answers at once; SIGTERM still flushes it")
    func receiveAckIsImmediate() throws {
        let daemon = try DaemonProcess(arguments: ["--ack", "receive", "--flush-interval", "60"])
        let client = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 5)
        let started = Date()
        #expect(try client.exchange([#"{"type":"click","share":"early"}"#]) == [#"{"ok":true}"#])
        #expect(Date().timeIntervalSince(started) < 5)
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT COUNT(*) FROM counters") == 0)
        #expect(try daemon.stop() == 0)
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters WHERE token = 'early'") == 1)
    }

    @Test("a duplicate seq, on the same or another connection, is answered duplicate and counted once")
    func duplicateSeqCountedOnce() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let line = #"{"type":"conversion","share":"s1","value":5,"source":"kiosk","seq":3}"#
        let a = try LineClient(path: daemon.ingestSocket)
        let b = try LineClient(path: daemon.ingestSocket)
        #expect(try a.exchange([line, line]) == [#"{"ok":true}"#, #"{"ok":true,"duplicate":true}"#])
        #expect(try b.exchange([line, #"{"type":"conversion","share":"s1","value":5,"source":"kiosk","seq":2}"#])
            == [#"{"ok":true,"duplicate":true}"#, #"{"ok":true,"duplicate":true}"#])
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(conversions) FROM counters") == 1)
        #expect(try daemon.stop() == 0)
        #expect(try DatabaseRows.count(database, "SELECT duplicates FROM sources WHERE source = 'kiosk'") == 3)
    }

    @Test("every rejection has its code, changes nothing, and keeps the connection open")
    func rejectionsChangeNothing() throws {
        let daemon = try DaemonProcess(arguments: ["--max-line-bytes", "300", "--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        let cases: [(String, String)] = [
            ("not json", "bad_json"),
            ("[1,2]", "bad_json"),
            (#"{"type":"click"}"#, "missing_field"),
            (#"{"type":"click","share":"bad token!"}"#, "bad_field"),
            (#"{"type":"like","share":"t"}"#, "unknown_type"),
            (#"{"type":"share","share":"t","advocate":"a","venue":"v","network":"x","followers":-1}"#, "bad_field"),
            (#"{"type":"click","share":"t","source":"k"}"#, "missing_field"),
            (#"{"type":"click","share":"t","ts":"2999-01-01T00:00:00Z"}"#, "bad_field"),
            (#"{"type":"click","share":"t","visitor":"x"# + String(repeating: "y", count: 400) + "\"}", "line_too_long"),
        ]
        try client.send(lines: cases.map(\.0))
        var invalidUTF8 = Array(#"{"type":"click","share":"t","visitor":""#.utf8)
        invalidUTF8 += [0xC3, 0x28] + Array("\"}\n".utf8)
        try client.send(invalidUTF8)
        var expected = cases.map(\.1)
        expected.append("bad_utf8")
        let responses = try client.readLines(expected.count)
        for (response, code) in zip(responses, expected) {
            let object = try LineClient.decode(response)
            #expect(object["ok"] as? Bool == false)
            #expect(object["error"] as? String == code, "\(response)")
            #expect(!(object["message"] as? String ?? "").isEmpty)
        }
        // Still open, still counting.
        #expect(try client.exchange([#"{"type":"click","share":"t"}"#]) == [#"{"ok":true}"#])
        let database = try daemon.openDatabase()
        #expect(try DatabaseRows.count(database, "SELECT SUM(clicks) FROM counters") == 1)
        #expect(try daemon.stop() == 0)
    }

    @Test("an empty line is ignored; a client that half-closes still gets every answer")
    func emptyLinesAndHalfClose() throws {
        let daemon = try DaemonProcess()
        let client = try LineClient(path: daemon.ingestSocket)
        try client.send("\n\n" + #"{"type":"click","share":"t"}"# + "\n\n")
        client.finishWriting()
        #expect(try client.readLine() == #"{"ok":true}"#)
        #expect(try client.readLine() == nil)
        #expect(try daemon.stop() == 0)
    }

    @Test("one connection over max_connections is refused with a clear error")
    func maxConnections() throws {
        let daemon = try DaemonProcess(arguments: ["--max-connections", "2"])
        let a = try LineClient(path: daemon.ingestSocket)
        let b = try LineClient(path: daemon.ingestSocket)
        #expect(try a.exchange([#"{"type":"click","share":"t"}"#]) == [#"{"ok":true}"#])
        #expect(try b.exchange([#"{"type":"click","share":"t"}"#]) == [#"{"ok":true}"#])
        let c = try LineClient(path: daemon.ingestSocket)
        let refusal = try LineClient.decode(try #require(try c.readLine()))
        #expect(refusal["error"] as? String == "overloaded")
        #expect((refusal["message"] as? String ?? "").contains("max_connections"))
        #expect(try c.readLine() == nil)
        #expect(try daemon.stop() == 0)
    }

    static func outcome(_ line: String) -> String {
        switch line {
        case #"{"ok":true}"#: "ok"
        case #"{"ok":true,"duplicate":true}"#: "duplicate"
        default: line
        }
    }
}
