import Foundation
import Glibc
import ShareTrackCore
import ShareTrackStore
import Testing

/// Privacy with the real daemon: visitor ids never reach a file, `forget` leaves no byte of the id
/// in any file, retention deletes old visitor hashes, and test events count nothing.
@Suite("Privacy", .serialized)
struct PrivacyTests {
    /// The names of the files under the daemon's directory whose raw bytes contain `text`.
    static func filesHolding(_ text: String, in daemon: DaemonProcess) throws -> [String] {
        try filesHolding(Data(text.utf8), in: daemon)
    }

    /// The names of the files under the daemon's directory whose raw bytes contain `needle`.
    static func filesHolding(_ needle: Data, in daemon: DaemonProcess) throws -> [String] {
        return try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { name in
            var info = stat()
            guard stat(daemon.directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
            return try Data(contentsOf: URL(fileURLWithPath: daemon.directory + "/" + name)).range(of: needle) != nil
        }
    }

    static func sharectl(_ daemon: DaemonProcess, _ arguments: [String]) throws -> SharectlTests.Run {
        try SharectlTests.sharectl(arguments + ["--socket", daemon.controlSocket])
    }

    /// The counters of `share TOKEN`, as JSON.
    static func totals(_ daemon: DaemonProcess, _ token: String) throws -> [String: Any] {
        let run = try sharectl(daemon, ["share", token, "--json"])
        let answer = try #require(run.json as? [String: Any], "\(run.stderr)")
        return answer.filter { ["shares", "reach", "clicks", "unique_clicks", "bot_clicks", "conversions", "value"].contains($0.key) }
    }

    static func send(_ daemon: DaemonProcess, _ lines: [String]) throws -> [String] {
        try LineClient(path: daemon.ingestSocket).exchange(lines)
    }

    @Test("visitor ids posted with distinctive strings are in no file of the database directory")
    func visitorIdsNeverReachDisk() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let lines = [#"{"type":"share","share":"p1","advocate":"a","venue":"v","network":"x","followers":1}"#]
            + (0..<200).map { #"{"type":"click","share":"p\#($0 % 7)","visitor":"zq-visitor-secret-\#($0)"}"# }
            + [#"{"type":"conversion","share":"p1","visitor":"zq-visitor-secret-conv","value":3.5}"#]
        #expect(try Self.send(daemon, lines).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        #expect(try Self.filesHolding("zq-visitor-secret", in: daemon).isEmpty)
        #expect(try daemon.stop() == 0)
        #expect(try Self.filesHolding("zq-visitor-secret", in: daemon).isEmpty)
        #expect(try Self.totals(try DaemonProcess(directory: daemon.directory), "p1")["value"] as? Double == 3.5)
    }

    @Test("forget --visitor and --advocate, also for data still in memory and in the journal: no byte left, counters kept, kept after a restart")
    func forget() throws {
        // A long flush interval: what is not flushed by hand stays in memory (answered at once).
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "3600", "--ack", "receive"])
        let share = #"{"type":"share","share":"f1","advocate":"zq-advocate-to-forget","venue":"v","network":"x","followers":10}"#
        let click = #"{"type":"click","share":"f1","visitor":"zq-forgotten-visitor"}"#
        _ = try Self.send(daemon, [share, click, #"{"type":"click","share":"f2","visitor":"zq-forgotten-visitor"}"#])
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        // In memory only: another share of the advocate and another visitor pair.
        let later = #"{"type":"share","share":"f3","advocate":"zq-advocate-to-forget","venue":"v","network":"x","followers":5}"#
        _ = try Self.send(daemon, [later, #"{"type":"click","share":"f3","visitor":"zq-forgotten-visitor"}"#,
                                   #"{"type":"click","share":"f1","visitor":"someone-else"}"#])
        let before = try ["f1", "f2", "f3"].map { try Self.totals(daemon, $0) as NSDictionary }

        let visitor = try Self.sharectl(daemon, ["forget", "--visitor", "zq-forgotten-visitor", "--json"])
        #expect(visitor.status == 0, "\(visitor.stderr)")
        #expect((visitor.json as? [String: Any])?["removed_pairs"] as? Int == 3)
        let advocate = try Self.sharectl(daemon, ["forget", "--advocate", "zq-advocate-to-forget"])
        #expect(advocate.status == 0, "\(advocate.stderr)")
        let pseudonym = try #require(advocate.stdout.firstMatch(of: /forgotten-[0-9a-f]{12}/)).output
        #expect(advocate.stdout.contains("its 2 shares and their counters are now under"), "\(advocate.stdout)")
        // An id no share has: said so, not that its counters moved.
        let unknown = try Self.sharectl(daemon, ["forget", "--advocate", "zq-never-shared", "--json"])
        #expect((unknown.json as? [String: Any])?["renamed_shares"] as? Int == 0, "\(unknown.stdout)")
        #expect(try Self.sharectl(daemon, ["forget", "--advocate", "zq-never-shared"]).stdout.contains("no share of it was stored here"))

        #expect(try Self.filesHolding("zq-advocate-to-forget", in: daemon).isEmpty)
        let hash = try daemon.visitorKey.hash("zq-forgotten-visitor")
        #expect(try !VisitorHashes.stored(in: daemon.openDatabase()).map(\.visitor).contains(hash))
        #expect(try ["f1", "f2", "f3"].map { try Self.totals(daemon, $0) as NSDictionary } == before)
        let renamed = try Self.sharectl(daemon, ["advocate", String(pseudonym), "--json"])
        #expect(((renamed.json as? [String: Any])?["totals"] as? [String: Any])?["shares"] as? Int == 2, "\(renamed.stdout)")
        #expect(try Self.sharectl(daemon, ["advocate", "zq-advocate-to-forget"]).status != 0)
        #expect(eventually { daemon.log.contains("forget") } && !daemon.log.contains("zq-"), "\(daemon.log)")

        // The forgotten visitor's next click counts as a first visit again.
        _ = try Self.send(daemon, [click])
        #expect(try Self.totals(daemon, "f1")["unique_clicks"] as? Int == (before[0]["unique_clicks"] as? Int ?? 0) + 1)

        #expect(try daemon.stop() == 0)
        #expect(try Self.filesHolding("zq-advocate-to-forget", in: daemon).isEmpty)
        let restarted = try DaemonProcess(directory: daemon.directory)
        #expect(try Self.sharectl(restarted, ["advocate", String(pseudonym)]).status == 0)
        #expect(try Self.sharectl(restarted, ["advocate", "zq-advocate-to-forget"]).status != 0)
    }

    /// SQLite leaves stale copies of cells in a page's unused space when it rebuilds the page (a
    /// b-tree split), which `secure_delete` does not reach: shares of many advocates over two
    /// days, and clicks of many visitors, split pages of the indexes by advocate and of the
    /// counter rows, so that the forgotten id and hash were left there before the file was rebuilt.
    @Test("forget after enough data to split pages: no stale copy of the id or the visitor's hash in any file")
    func forgetLeavesNoStaleCopy() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let now = Int64(Date().timeIntervalSince1970)
        let advocate = "zq-stale-advocate", visitor = "zq-stale-visitor"
        var lines: [String] = []
        for index in 0..<1000 {
            let name = index % 7 == 0 ? advocate : "adv\(index % 53)"
            let time = TestEvent.rfc3339(now - Int64(index * 31 % 49) * 3600)
            lines.append(#"{"type":"share","share":"tk\#(index)","advocate":"\#(name)","venue":"venue\#(index % 5)","network":"x","followers":\#(index * 7919 % 200_000),"ts":"\#(time)"}"#)
            let clicker = index % 4 == 0 ? visitor : "visitor-\(index * 13 % 97)"
            lines.append(#"{"type":"click","share":"tk\#(index * 37 % 1000)","visitor":"\#(clicker)","ts":"\#(time)"}"#)
        }
        #expect(try Self.send(daemon, lines).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        let hash = try daemon.visitorKey.hash(visitor)
        let hashBytes = [hash.bigEndian, hash.littleEndian].map { value in withUnsafeBytes(of: value) { Data($0) } }
        #expect(try !Self.filesHolding(hashBytes[0], in: daemon).isEmpty || !Self.filesHolding(hashBytes[1], in: daemon).isEmpty)

        #expect(try Self.sharectl(daemon, ["forget", "--advocate", advocate]).status == 0)
        #expect(try Self.sharectl(daemon, ["forget", "--visitor", visitor]).status == 0)
        #expect(try Self.filesHolding(advocate, in: daemon).isEmpty)
        #expect(try hashBytes.flatMap { try Self.filesHolding($0, in: daemon) }.isEmpty)
        #expect(try daemon.stop() == 0)
    }

    @Test("forget --visitor while another process holds the database locked: refused, then completed once the lock goes, the hash in no file")
    func forgetCompletesAfterALock() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let visitor = "zq-locked-visitor"
        let lines = (0..<300).flatMap { index in [
            #"{"type":"share","share":"lk\#(index)","advocate":"a","venue":"v","network":"x","followers":1}"#,
            #"{"type":"click","share":"lk\#(index)","visitor":"\#(visitor)"}"#,
        ] }
        #expect(try Self.send(daemon, lines).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        let hash = try daemon.visitorKey.hash(visitor)
        let hashBytes = [hash.bigEndian, hash.littleEndian].map { value in withUnsafeBytes(of: value) { Data($0) } }
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        let refused = try Self.sharectl(daemon, ["forget", "--visitor", visitor])
        #expect(refused.status != 0 && refused.stderr.contains("completes when the flush recovers"), "\(refused.stderr)")
        try shell.execute("ROLLBACK;")
        shell.quit()
        let holding = { try hashBytes.flatMap { try Self.filesHolding($0, in: daemon) } }
        #expect(try eventually { try holding().isEmpty }, "\((try? holding()) ?? [])")
        // (The line follows the files' scrub, and comes through a pipe.)
        #expect(eventually(timeout: 5) { daemon.log.contains("an erasure that forget left unfinished is complete") }, "\(daemon.log)")
        #expect(try daemon.stop() == 0)
    }

    @Test("forget whose rebuild of the file fails (no room): tried again after 10 s, not after every apply, nor only after one, one try for every forget waiting; then complete",
          arguments: [false, true])
    func unfinishedErasureBacksOff(appliedFirst: Bool) throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let visitor = "zq-backoff-visitor"
        let shares = (0..<3000).map { #"{"type":"share","share":"bo\#($0)","advocate":"a\#($0)","venue":"v","network":"x","followers":1}"# }
        let clicks = [#"{"type":"click","share":"bo1","visitor":"\#(visitor)"}"#, #"{"type":"click","share":"bo2","visitor":"bo-visitor"}"#]
        #expect(try Self.send(daemon, shares + clicks).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        // Files may grow to the journal's size and 256 KiB: the journal and an apply's few pages
        // fit, the rebuilt database (which `VACUUM` writes to the log) does not.
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        let limit = try size(daemon.database + ".journal") + 256 * 1024
        try #require(try size(daemon.database) > limit + 256 * 1024)
        let limited = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=\(limit):unlimited"])
        try #require(limited.status == 0, "\(limited.output)")
        if appliedFirst {
            // The erasure is applied at once; its rebuild fails.
            let forget = try Self.sharectl(daemon, ["forget", "--visitor", visitor])
            #expect(forget.status != 0 && forget.stderr.contains("it is tried again in 10 s"), "\(forget.stderr)")
        } else {
            // The erasure waits for the apply (the database locked); once applied, its rebuild fails.
            let shell = try SQLiteShell(database: daemon.database)
            try shell.execute("BEGIN EXCLUSIVE;")
            #expect(try Self.sharectl(daemon, ["forget", "--visitor", visitor]).status != 0)
            try shell.execute("ROLLBACK;")
            shell.quit()
        }
        let failed = "finishing an erasure failed; it is tried again in 10 s"
        #expect(eventually(timeout: 15) { daemon.log.contains(failed) }, "\(daemon.log)")
        // Another forget whose rebuild fails meanwhile waits for the same try, not one of its own.
        let second = try Self.sharectl(daemon, ["forget", "--visitor", "bo-visitor"])
        let wait = second.stderr.firstMatch(of: /tried again in (\d+) s/).flatMap { Int($0.output.1) }
        #expect(second.status != 0 && (wait ?? 99) <= 10, "\(second.stderr)")
        // Clicks meanwhile: the applies they make do not try again before the time.
        for index in 0..<20 {
            #expect(try Self.send(daemon, [#"{"type":"click","share":"bo\#(index)","visitor":"w"}"#]) == [#"{"ok":true}"#])
            usleep(250_000)
        }
        #expect(daemon.log.components(separatedBy: "finishing an erasure failed").count == 3, "\(daemon.log)")
        let lifted = try runCommand("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--fsize=unlimited:unlimited"])
        #expect(lifted.status == 0, "\(lifted.output)")
        // No more applies: the retry comes on its own, for both.
        #expect(eventually(timeout: 15) {
            daemon.log.components(separatedBy: "an erasure that forget left unfinished is complete").count == 3
        }, "\(daemon.log)")
        let hashes = try [visitor, "bo-visitor"].map { try daemon.visitorKey.hash($0) }
        let hashBytes = hashes.flatMap { hash in [hash.bigEndian, hash.littleEndian].map { value in withUnsafeBytes(of: value) { Data($0) } } }
        #expect(try hashBytes.flatMap { try Self.filesHolding($0, in: daemon) }.isEmpty)
        #expect(try daemon.stop() == 0)
    }

    @Test("forget needs exactly one id")
    func forgetNeedsOneID() throws {
        let daemon = try DaemonProcess()
        #expect(try Self.sharectl(daemon, ["forget"]).status != 0)
        #expect(try Self.sharectl(daemon, ["forget", "--visitor", "a", "--advocate", "b"]).status != 0)
        let answer = try daemon.control(#"{"command":"forget","forget":{}}"#)
        #expect(answer["error"] as? String == "bad_request")
        let both = try daemon.control(#"{"command":"forget","forget":{"visitor":"a","advocate":"b"}}"#)
        #expect(both["error"] as? String == "bad_request" && (both["message"] as? String)?.hasSuffix("not both") == true, "\(both)")
    }

    @Test("visitor_retention deletes hashes of clicks older than the retention, keeps recent ones; status shows the run")
    func retention() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let now = Int64(Date().timeIntervalSince1970)
        let (old, justOlder, justYounger) = (TestEvent.rfc3339(now - 3 * 3600), TestEvent.rfc3339(now - 3660),
                                             TestEvent.rfc3339(now - 3540))
        _ = try Self.send(daemon, [
            #"{"type":"click","share":"r1","visitor":"old-visitor","ts":"\#(old)"}"#,
            // An hour and a minute old, and a minute short of an hour: retention goes to the second.
            #"{"type":"click","share":"r1","visitor":"just-older","ts":"\#(justOlder)"}"#,
            #"{"type":"click","share":"r1","visitor":"just-younger","ts":"\#(justYounger)"}"#,
            #"{"type":"click","share":"r1","visitor":"new-visitor"}"#,
        ])
        #expect(try daemon.stop() == 0)
        let retaining = try DaemonProcess(directory: daemon.directory, arguments: ["--visitor-retention", "1h"])
        var removed = 0
        #expect(try eventually(timeout: 20) {
            let report = try retaining.status()["visitor_retention"] as? [String: Any]
            removed = report?["removed_total"] as? Int ?? 0
            return removed > 0
        })
        #expect(removed == 2)
        let lastRun = try retaining.status()["visitor_retention"].flatMap { ($0 as? [String: Any])?["last_run"] as? String }
        #expect(lastRun.flatMap { RFC3339.parse($0) } != nil, "\(String(describing: lastRun))")
        let key = try retaining.visitorKey
        let left = try VisitorHashes.stored(in: retaining.openDatabase()).map(\.visitor)
        #expect(Set(left) == Set(["just-younger", "new-visitor"].map(key.hash)))
        // The expired visitors' next clicks on that share count as unique again; the others' do not.
        _ = try Self.send(retaining, ["old-visitor", "just-older", "just-younger", "new-visitor"].map {
            #"{"type":"click","share":"r1","visitor":"\#($0)"}"#
        })
        #expect(try Self.totals(retaining, "r1")["unique_clicks"] as? Int == 6)
    }

    @Test("visitor_retention: a pair that comes of age while the pending batch holds it (a long flush_interval) is flushed and deleted by the next run")
    func retentionOfPendingPairs() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "3600", "--ack", "receive", "--visitor-retention", "1h"])
        let old = TestEvent.rfc3339(Int64(Date().timeIntervalSince1970) - 7200)
        _ = try Self.send(daemon, [
            #"{"type":"click","share":"p1","visitor":"aged","ts":"\#(old)"}"#,
            #"{"type":"click","share":"p1","visitor":"fresh"}"#,
        ])
        // The run at start found nothing; the next, 30 s later, flushes the pending batch first.
        #expect(try eventually(timeout: 45) {
            (try daemon.status()["visitor_retention"] as? [String: Any])?["removed_total"] as? Int == 1
        })
        _ = try Self.send(daemon, [#"{"type":"click","share":"p1","visitor":"aged"}"#, #"{"type":"click","share":"p1","visitor":"fresh"}"#])
        #expect(try Self.totals(daemon, "p1")["unique_clicks"] as? Int == 3)
        #expect(try daemon.stop() == 0)
    }

    @Test("test events of every type change no number but test, in status, sources and metrics")
    func testEvents() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let lines = [
            #"{"type":"share","share":"t1","advocate":"a","venue":"v","network":"x","followers":9,"test":true,"source":"k","seq":5}"#,
            #"{"type":"click","share":"t1","visitor":"zq-test-visitor","test":true,"source":"k","seq":5}"#,
            #"{"type":"click","share":"t1","bot":true,"test":true}"#,
            #"{"type":"conversion","share":"t1","value":12.5,"test":true}"#,
            #"{"type":"conversion","share":"t1","value":-1,"test":true}"#,
        ]
        let answers = try Self.send(daemon, lines)
        #expect(Array(answers.prefix(4)) == Array(repeating: #"{"ok":true,"test":true}"#, count: 4))
        #expect(answers[4].contains(#""error":"bad_field""#))
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        let totals = try #require(try daemon.status()["totals"] as? [String: Any])
        #expect(totals["test"] as? Int == 4)
        #expect(totals["accepted"] as? Int == 0)
        let sources = try #require(try Self.sharectl(daemon, ["sources", "--json"]).json as? [[String: Any]])
        #expect(sources.first?["test"] as? Int == 2)
        #expect(sources.first?["last_seq"] as? Int == 0)
        let metrics = try Self.sharectl(daemon, ["metrics"]).stdout
        #expect(metrics.contains("sharetrack_events_test_total 4"), "\(metrics)")
        #expect(try Self.sharectl(daemon, ["share", "t1"]).status != 0)
        let database = try daemon.openDatabase()
        // (Visitor pairs are kept in counter rows.)
        for table in ["shares", "counters"] {
            #expect(try database.prepare("SELECT COUNT(*) FROM \(table)").rows { $0.int64(0) } == [0], "\(table)")
        }
        // The real seq 5 of that source is still new.
        #expect(try Self.send(daemon, [#"{"type":"click","share":"t1","source":"k","seq":5}"#]) == [#"{"ok":true}"#])
    }

    @Test("money is exact: sums of decimal values, and the largest values never make a sum infinite")
    func exactMoney() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let lines = (0..<10).map { _ in #"{"type":"conversion","share":"m1","value":0.1}"# }
            + [#"{"type":"conversion","share":"m2","value":1000000000}"#, #"{"type":"conversion","share":"m2","value":1e9}"#,
               #"{"type":"conversion","share":"m2","value":1.7976931348623157e308}"#]
        let answers = try Self.send(daemon, lines)
        #expect(answers.prefix(12).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(answers[12].contains(#""error":"bad_field""#) && answers[12].contains("value"))
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        let client = try LineClient(path: daemon.controlSocket)
        let m1 = try client.exchange([#"{"command":"share","query":{"id":"m1","filter":{}}}"#])[0]
        #expect(m1.contains(#""value":1,"#) || m1.contains(#""value":1}"#), "\(m1)")
        let m2 = try client.exchange([#"{"command":"share","query":{"id":"m2","filter":{}}}"#])[0]
        #expect(m2.contains(#""value":2000000000"#), "\(m2)")
        let stored = try daemon.openDatabase().prepare("SELECT typeof(value), SUM(value) FROM counters GROUP BY 1")
        #expect(try stored.rows { "\($0.string(0)!) \($0.int64(1))" } == ["integer 2000000001000"])
    }
}
