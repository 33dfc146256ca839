import Foundation
import Glibc
import ShareTrackCore
import ShareTrackShared
import Testing
import TestSupport

/// Daemons shipping to a real PostgreSQL server: the chain-wide numbers equal one daemon's that
/// had received every event, through crashes and outages.
@Suite("Shared store", .serialized)
struct SharedStoreTests {
    @Test("two venues and a redirector into one store: exactly the reference model")
    func threeNodesMatchTheModel() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let venueA = try store.daemon(node: "venue-a")
        let venueB = try store.daemon(node: "venue-b")
        let redirector = try store.daemon(node: "redirector")
        var model = ReferenceModel()
        let now = Int64(Date().timeIntervalSince1970)
        var streams = EventStream(seed: 7)

        // Venue A: its own shares, clicks (some orphans), conversions; and a token that venue B
        // shares again later.
        var eventsA = streams.make(count: 1500, tokenPrefix: "a", source: "kiosk-a")
        eventsA.append(TestEvent(token: "both", kind: .share(advocate: "anna", venue: "venue-a", followers: 100),
                                 time: now - 7200, origin: ("kiosk-a", eventsA.count + 1)))
        for event in eventsA { _ = model.apply(event) }
        try venueA.send(eventsA)
        // A test event: counted nowhere but in its source's `test` (in the store's `sources` too).
        let testEvent = TestEvent(token: "a-1", kind: .click(visitor: "v1", bot: false), time: now, origin: ("kiosk-a", 1))
        try venueA.sendTest(testEvent)
        try venueA.waitUntilShipped()

        // Venue B: the same token again (dropped: the first shipped wins), a share of one of A's
        // orphan tokens (attributed across nodes), and a visitor who clicked a share through A.
        var eventsB = streams.make(count: 1500, tokenPrefix: "b", source: "kiosk-b")
        eventsB += [
            TestEvent(token: "both", kind: .share(advocate: "bert", venue: "venue-b", followers: 999), time: now - 3600),
            TestEvent(token: "a-orphan1", kind: .share(advocate: "bert", venue: "venue-b", followers: 50), time: now - 3600),
            TestEvent(token: "a-1", kind: .click(visitor: "v1", bot: false), time: now - 60),
            TestEvent(token: "a-1", kind: .click(visitor: "v-new", bot: false), time: now - 60),
        ]
        for event in eventsB { _ = model.apply(event) }
        try venueB.send(eventsB)
        try venueB.waitUntilShipped()

        // The redirector: clicks and conversions on shares posted at both venues, by visitors some
        // of whom clicked there through a venue's daemon too; and orphans of its own.
        var random = SplitMix(seed: 11)
        var eventsR: [TestEvent] = []
        for index in 0..<2000 {
            let token = ["a", "b"][random.next(below: 2)] + "-\(random.next(below: 40))"
            let time = now - Int64(random.next(below: 3 * 24 * 3600))
            let roll = random.next(below: 10)
            let kind: TestEvent.Kind = roll < 7 ? .click(visitor: "v\(random.next(below: 30))", bot: roll == 0)
                : roll < 9 ? .click(visitor: nil, bot: false) : .conversion(value: Double(random.next(below: 5000)) / 100)
            eventsR.append(TestEvent(token: index % 50 == 0 ? "r-orphan" : token, kind: kind, time: time,
                                     origin: ("redirect-1", index + 1)))
        }
        eventsR.append(TestEvent(token: "both", kind: .click(visitor: "v1", bot: false), time: now - 10))
        for event in eventsR { _ = model.apply(event) }
        try redirector.send(eventsR)
        try redirector.waitUntilShipped()

        let differences = try store.differences(from: model)
        #expect(differences.count == 0, "rows differ: \(differences.prefix(8))")
        let connection = try store.connect()
        // The daemons fold the rollup log themselves (after shipping, and on their 10-second tick):
        // only orphans stay in it, and the rollups equal the raw rows.
        #expect(try eventually(timeout: 30) { try SharedRollupTests.logRows(connection).attributable == 0 })
        #expect(try SharedRollupTests.logRows(connection).all > 0)
        #expect(try SharedRollupTests.rollupDifferences(connection) == [:])
        let both = try connection.query("SELECT advocate, followers, node FROM shares WHERE token = 'both'")
        #expect(both.string(0, 0) == "anna" && both.int64(0, 1) == 100 && both.string(0, 2) == "venue-a")
        #expect(try connection.query("SELECT count(*) FROM shares").int64(0, 0) == Int64(model.shares.count))
        let nodes = try connection.query("SELECT node, events FROM nodes ORDER BY node")
        #expect((0..<nodes.count).map { nodes.string($0, 0)! } == ["redirector", "venue-a", "venue-b"])
        #expect(try connection.query("SELECT sum(events) FROM nodes").int64(0, 0)
                == Int64(eventsA.count + eventsB.count + eventsR.count))
        let source = try connection.query("SELECT node, highest_seq FROM sources WHERE source = 'redirect-1'")
        #expect(source.string(0, 0) == "redirector" && source.int64(0, 1) == 2000)
        // `nodes`, from the store (read-only) and live from a daemon.
        let listed = try runCommand(DaemonProcess.binary("sharectl"), ["nodes", "--json", "--db", store.cluster.conninfo(store.database)])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]] ?? []
        #expect(rows.map { $0["node"] as? String } == ["redirector", "venue-a", "venue-b"], "\(listed.output)")
        #expect(rows.map { $0["events"] as? Int ?? 0 }.reduce(0, +) == eventsA.count + eventsB.count + eventsR.count)
        let live = try redirector.control(#"{"command":"nodes"}"#)["result"] as? [[String: Any]] ?? []
        #expect(live.contains { $0["node"] as? String == "redirector" && $0["generation"] as? Int ?? 0 > 0 })
        let status = try venueA.sharedStore()
        #expect(status["state"] as? String == "ok" && status["node"] as? String == "venue-a")
        #expect(status["shipped_generation"] as? Int ?? 0 > 0 && status["backlog_events"] as? Int == 0)
        #expect(!venueA.log.contains(PostgresCluster.password))

        // Every query command over the store answers as one daemon that received every event.
        let reference = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        try reference.send(eventsA + eventsB + eventsR)
        try reference.sendTest(testEvent)
        let queries = SharedQueryComparison(store: store, reference: reference)
        let top = (try queries.answer(["top", "--limit", "3"], shared: true).json as? [[String: Any]] ?? [])
            .compactMap { $0["advocate"] as? String }
        #expect(top.count == 3)
        let differing = try queries.differences(SharedQueryComparison.commands(now: now, advocates: ["anna", "bert"] + top))
        #expect(differing.isEmpty, "\(differing.prefix(3))")
        let sharedSources = try queries.sources(shared: true)
        #expect(sharedSources.first { $0["source"] as? String == "kiosk-a" }?["test"] as? Int == 1, "\(sharedSources)")
        #expect(sharedSources.map { $0.filter { $0.key != "node" } } == (try queries.sources(shared: false)))
        #expect(Dictionary(uniqueKeysWithValues: sharedSources.map { ($0["source"] as? String ?? "", $0["node"] as? String) })
                == ["kiosk-a": "venue-a", "kiosk-b": "venue-b", "redirect-1": "redirector"])
    }

    @Test("kill -9 while shipping, restart: nothing lost or counted twice in the store")
    func killNineWhileShipping() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        var daemon = try store.daemon(node: "killed")
        let directory = daemon.directory
        var model = ReferenceModel()
        var streams = EventStream(seed: 21)
        let events = streams.make(count: 12_000, tokenPrefix: "k", source: "kiosk-k")
        for event in events { _ = model.apply(event) }
        var sent = 0
        for round in 0..<3 {
            let chunk = Array(events[sent..<(sent + 4000)])
            try daemon.send(chunk)
            sent += chunk.count
            usleep(UInt32(30_000 * (round + 1)))
            try daemon.stop(signal: SIGKILL)
            daemon = try store.daemon(node: "killed", directory: directory)
        }
        try daemon.waitUntilShipped()
        let differences = try store.differences(from: model)
        #expect(differences.count == 0, "rows differ: \(differences.prefix(8))")
        #expect(try store.connect().query("SELECT events FROM nodes").int64(0, 0) == Int64(events.count))
    }

    @Test("the store stopped mid-stream: answers keep flowing, the backlog waits on disk, then ships exactly once")
    func outageAndRecovery() throws {
        let cluster = try PostgresCluster()
        let store = try SharedStoreFixture(cluster: cluster)
        let daemon = try store.daemon(node: "outage")
        var model = ReferenceModel()
        var streams = EventStream(seed: 33)
        let events = streams.make(count: 70_000, tokenPrefix: "o", source: "kiosk-o")
        for event in events { _ = model.apply(event) }
        try daemon.send(Array(events[..<5000]))
        try daemon.waitUntilShipped()
        // The daemon's resident memory over rounds of 5,000 events, each applied to the tables
        // first (batches not applied yet, up to 5, are held in memory whatever the store does).
        func rounds(_ range: Range<Int>) throws -> [Int] {
            try stride(from: range.lowerBound, to: range.upperBound, by: 5000).map { start in
                let codes = try daemon.send(Array(events[start..<(start + 5000)]))
                #expect(codes.allSatisfy { $0 == "ok" || $0 == "duplicate" })
                _ = try daemon.control(#"{"command":"flush"}"#)
                return daemon.memoryKB()
            }
        }
        // The caches (tokens, SQLite's pages) grow with the data whether the store is up or down:
        // compare the growth over as many steps (five) with the store up and down. The first round
        // down is left out: the store's failure costs a one-off megabyte or two (the connection's
        // error path, the retry timer), not one per round.
        let up = try rounds(5000..<35_000)
        try daemon.waitUntilShipped()
        try cluster.stop()

        // Ingest goes on while the store is down; the daemon's memory does not grow with the backlog.
        let rss = try rounds(35_000..<events.count)
        #expect(try eventually { try daemon.sharedStore()["state"] as? String == "failing" })
        let failing = try daemon.sharedStore()
        #expect(failing["backlog_events"] as? Int ?? 0 >= 30_000, "\(failing)")
        // libpq's hint line ("\tIs the server running...") joined on, without its tab.
        let lastError = failing["last_error"] as? String ?? ""
        #expect(!lastError.isEmpty && !lastError.contains(where: { $0 == "\t" || $0.isNewline }), "\(lastError)")
        #expect(!(failing["last_error"] as? String ?? "").contains(PostgresCluster.password))
        // The backlog (35,000 events, 1.3 MB in the journal) grows on disk; the memory no more than
        // with the store up, give or take malloc's noise (up to 3 MB over five rounds on a busy
        // machine). Coarse: backlogs kept per retry fail it, one decoded copy (about 4 MB) may not.
        let grownUp = up.last! - up[0], grownDown = rss.last! - rss[1]
        #expect(grownDown < grownUp + 3 * 1024, "RSS in KB per round of 5,000 events, store up: \(up), down: \(rss)")
        print("RSS in KB per round of 5,000 events, store up: \(up), down: \(rss)")

        try cluster.start()
        try daemon.waitUntilShipped(timeout: 120)
        let differences = try store.differences(from: model)
        #expect(differences.count == 0, "rows differ: \(differences.prefix(8))")
        // Told once that shipping fails, and once that it works again: not once per retry.
        #expect(daemon.log.components(separatedBy: "shipping fails").count == 2, "\(daemon.log)")
        #expect(daemon.log.components(separatedBy: "shipping again").count == 2)
    }

    @Test("a node with another visitor key is refused, naming the key file, and keeps ingesting locally; with the key put right, what it journaled meanwhile is shipped without its visitor hashes")
    func anotherVisitorKeyIsRefused() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let first = try store.daemon(node: "first")
        try first.send([TestEvent(token: "k1", kind: .click(visitor: "v", bot: false), time: Int64(Date().timeIntervalSince1970))])
        try first.waitUntilShipped()
        // The first node of an empty store makes its schema, and says so.
        #expect(eventually { first.log.contains("shared store: created its schema from=0 ms=") }, "\(first.log)")
        let keyFile = try SharedStoreFixture.makeKeyFile(in: try DaemonProcess.makeTemporaryDirectory())
        let other = try store.daemon(node: "other", arguments: ["--visitor-key-file", keyFile])
        #expect(try eventually { try other.sharedStore()["state"] as? String == "failing" })
        let error = try other.sharedStore()["last_error"] as? String ?? ""
        #expect(error.contains(keyFile) && error.contains("visitor key"), "\(error)")
        #expect(try other.send([TestEvent(token: "k2", kind: .click(visitor: "v", bot: false), time: 1_790_000_000)]) == ["ok"])
        #expect(try store.connect().query("SELECT node FROM nodes").count == 1)
        // Refused for good: no retry. (The state is set before the line is logged, and the log is
        // read from a pipe: wait for the line.)
        #expect(eventually { other.log.components(separatedBy: "shipping stopped").count == 2 }, "\(other.log)")

        // The store could match none of those hashes, nor `forget` find them: they stay behind.
        #expect(try other.stop() == 0)
        let mended = try store.daemon(node: "other", directory: other.directory)
        try mended.waitUntilShipped()
        let k2 = try store.connect().query("SELECT sum(clicks), sum(unique_clicks), (SELECT count(*) FROM visitors WHERE token = 'k2') FROM counters WHERE token = 'k2'")
        #expect((0..<3).map { k2.string(0, $0) } == ["1", "1", "0"], "\(k2)")
        #expect(try mended.stop() == 0)
    }

    @Test("a store that answers nothing (a table held locked) makes shipping failing after 30 s, saying why, also at a start; answered, it recovers at once")
    func unansweredStore() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "waiting", shipped: "w1")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "w2", kind: .share(advocate: "ann", venue: "cafe", followers: 10), time: now)])
        #expect(try eventually(timeout: 10) { try daemon.sharedStore()["state"] as? String == "behind" })
        #expect(try daemon.sharedStore()["last_error"] is NSNull)
        #expect(try eventually(timeout: 40) { try daemon.sharedStore()["state"] as? String == "failing" })
        let error = try daemon.sharedStore()["last_error"] as? String ?? ""
        #expect(error.contains("no answer from the shared store for") && error.contains("locked"), "\(error)")
        #expect(eventually(timeout: 5) { daemon.log.contains("shared store: shipping waits for an answer") }, "\(daemon.log)")
        try lock.execute("COMMIT")
        #expect(try eventually(timeout: 5) { try daemon.sharedStore()["state"] as? String != "failing" })
        #expect(eventually(timeout: 5) { daemon.log.contains("shared store: no longer waiting for an answer") }, "\(daemon.log)")
        try lock.execute(SharedStoreFixture.lockNodes)

        // Started again with the table still locked: the checks of a new connection wait the same way.
        #expect(try daemon.stop() == 0)
        let restarted = try store.daemon(node: "waiting", directory: daemon.directory)
        #expect(try eventually(timeout: 40) { try restarted.sharedStore()["state"] as? String == "failing" })
        try lock.execute("COMMIT")
        // Once answered, not failing any more (not only once the pump is over).
        #expect(try eventually(timeout: 5) { try restarted.sharedStore()["state"] as? String != "failing" })
        try restarted.waitUntilShipped()
        let after = try restarted.sharedStore()
        #expect(after["state"] as? String == "ok" && after["last_error"] is NSNull, "\(after)")
        #expect(try restarted.stop() == 0)
    }

    @Test("a daemon killed while its shipment waits for a lock leaves no session queued on it; restarted, it ships exactly once")
    func killedWhileWaitingForALock() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "killed", shipped: "k1")
        try daemon.send([SharedStoreFixture.share("k2")])
        let observer = try store.connect()
        let sessions = "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity "
            + "WHERE application_name = 'sharetrackd killed'"
        #expect(try eventually(timeout: 10) { try observer.query(sessions).string(0, 0) == "1" })
        _ = try daemon.stop(signal: SIGKILL)
        // The server notices within its check interval that the client is gone, though the lock is still held.
        #expect(try eventually(timeout: Double(PostgresConnection.clientCheckSeconds) + 5) {
            try observer.query(sessions).string(0, 1) == "0"
        })
        try lock.execute("COMMIT")
        #expect(try observer.query("SELECT count(*) FROM shares").string(0, 0) == "1")
        let restarted = try store.daemon(node: "killed", directory: daemon.directory)
        try restarted.waitUntilShipped()
        #expect(try store.shareTokens() == "k1,k2")
        #expect(try restarted.stop() == 0)
    }

    @Test("a shipment the server cancels (pg_cancel_backend, statement_timeout) is tried again: shipping resumes without a restart")
    func cancelledShipmentIsRetried() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "cancelled", shipped: "c1")
        try daemon.send([SharedStoreFixture.share("c2")])
        let observer = try store.connect()
        let waiting = "FROM pg_stat_activity WHERE application_name = 'sharetrackd cancelled' AND wait_event_type = 'Lock'"
        #expect(try eventually(timeout: 10) { try observer.query("SELECT count(*) \(waiting)").string(0, 0) == "1" })
        _ = try observer.query("SELECT pg_cancel_backend(pid) \(waiting)")
        #expect(try eventually(timeout: 10) { (try daemon.sharedStore()["last_error"] as? String)?.contains("57014") == true })
        #expect(try (daemon.sharedStore()["last_error"] as? String)?.hasPrefix("stopped") == false)
        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        #expect(try store.shareTokens() == "c1,c2")
        #expect(try daemon.stop() == 0)
    }

    @Test("commits while a shipment waits for the store queue one more pump, not one each (each would fold, read the nodes, ... once the store answers)")
    func commitsWhileWaitingQueueOnePump() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        // Every statement of this database's sessions goes to the server's log: count the pumps' folds.
        try store.cluster.connect().execute("ALTER DATABASE \(store.database) SET log_statement = 'all'")
        let folds = {
            let log = (try? String(contentsOfFile: store.cluster.directory + "/server.log", encoding: .utf8)) ?? ""
            return log.components(separatedBy: "pg_try_advisory_xact_lock").count - 1
        }
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "piling", shipped: "p0")
        for index in 1...30 { try daemon.send([SharedStoreFixture.share("p\(index)")]) }  // 30 commits, one at a time
        let before = folds()
        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        sleep(2)
        // The pump that waited, the one queued meanwhile, and perhaps the 10 s tick's.
        #expect(folds() - before <= 4, "\(folds() - before) folds after the store answered")
        #expect(try store.connect().query("SELECT count(*) FROM shares").string(0, 0) == "31")
        #expect(try daemon.stop() == 0)
    }

    /// The directory of a daemon named `node` that shipped share b1, was backed up, then shipped
    /// each of `later` in a batch of its own, and was stopped: its database replaced by the backup,
    /// as the README's restore does.
    static func restoredFromBackup(_ store: SharedStoreFixture, node: String, later: [String]) throws -> String {
        let daemon = try store.daemon(node: node)
        try daemon.send([SharedStoreFixture.share("b1")])
        try daemon.waitUntilShipped()
        let backup = daemon.directory + "/backup.db"
        #expect(try SharectlTests.sharectl(["backup", backup, "--socket", daemon.controlSocket]).status == 0)
        for token in later { try daemon.send([SharedStoreFixture.share(token)]) }
        try daemon.waitUntilShipped()
        #expect(try daemon.stop() == 0)
        try FileManager.default.removeItem(atPath: daemon.database)
        try FileManager.default.copyItem(atPath: backup, toPath: daemon.database)
        return daemon.directory
    }

    @Test("a node restored from a backup is refused by the store, which holds later batches of it, saying why; under a new node name it ships what it takes from then on")
    func restoredNodeIsRefused() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let directory = try Self.restoredFromBackup(store, node: "restored", later: ["b2"])
        let restored = try store.daemon(node: "restored", directory: directory)
        #expect(try restored.send([SharedStoreFixture.share("b3")]) == ["ok"])
        #expect(try eventually(timeout: 10) { (try restored.sharedStore()["last_error"] as? String)?.contains("restored from a backup") == true },
                "\((try? restored.sharedStore()) ?? [:])")
        #expect(try restored.stop() == 0)
        let renamed = try store.daemon(node: "restored-again", directory: directory)
        try renamed.waitUntilShipped()
        #expect(try store.shareTokens() == "b1,b2,b3")
        #expect(try renamed.stop() == 0)
    }

    @Test("a node restored from a backup while the store is down, which commits past the store's generation before it connects, is refused too; under a new node name it ships every batch")
    func restoredWhileStoreDownIsRefused() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let directory = try Self.restoredFromBackup(store, node: "late", later: ["b2", "b3", "b4"])

        // The store unreachable (nothing listens on port 9): the restored node takes six batches,
        // its generations past the store's, committed in a later second than the store's last.
        sleep(1)
        let down = try DaemonProcess(directory: directory, arguments: [
            "--visitor-key-file", store.keyFile, "--flush-interval", "0.1", "--node", "late",
            "--shared-store", "postgresql://127.0.0.1:9/none?connect_timeout=1", "--shared-store-password-file", store.passwordFile,
        ])
        for index in 1...6 { #expect(try down.send([SharedStoreFixture.share("c\(index)")]) == ["ok"]) }
        #expect(try down.stop() == 0)

        let restored = try store.daemon(node: "late", directory: directory)
        #expect(try eventually(timeout: 10) {
            (try restored.sharedStore()["last_error"] as? String)?.contains("restored from a backup") == true
        }, "\((try? restored.sharedStore()) ?? [:])")
        #expect(try store.shareTokens() == "b1,b2,b3,b4")
        #expect(try restored.stop() == 0)
        let renamed = try store.daemon(node: "late-again", directory: directory)
        try renamed.waitUntilShipped()
        #expect(try store.shareTokens() == "b1,b2,b3,b4,c1,c2,c3,c4,c5,c6")
        #expect(try renamed.stop() == 0)
    }

    @Test("reset-source on a node resets the source's highest seq in the store too")
    func resetSourceReachesTheStore() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "resetting")
        let now = Int64(Date().timeIntervalSince1970)
        let share = { (token: String, seq: Int) in
            TestEvent(token: token, kind: .share(advocate: "ann", venue: "cafe", followers: 10), time: now, origin: ("kiosk", seq))
        }
        #expect(try daemon.send([share("r1", 5)]) == ["ok"])
        try daemon.waitUntilShipped()
        #expect(try PrivacyTests.sharectl(daemon, ["reset-source", "kiosk"]).status == 0)
        #expect(try daemon.send([share("r2", 1)]) == ["ok"])
        try daemon.waitUntilShipped()
        let seq = try store.connect().query("SELECT highest_seq FROM sources WHERE source = 'kiosk'")
        #expect(seq.count == 1 && seq.string(0, 0) == "1", "\(seq)")
        #expect(try daemon.stop() == 0)
    }

    @Test("forget reaches the store in its place in the stream: the visitor's pairs deleted, the advocate renamed")
    func forgetIsShipped() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "forgetting")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([
            TestEvent(token: "f1", kind: .share(advocate: "ann", venue: "cafe", followers: 10), time: now),
            TestEvent(token: "f1", kind: .click(visitor: "v1", bot: false), time: now),
            TestEvent(token: "f1", kind: .click(visitor: "v2", bot: false), time: now),
        ])
        try daemon.waitUntilShipped()
        let connection = try store.connect()
        #expect(try connection.query("SELECT count(*) FROM visitors").int64(0, 0) == 2)

        let visitor = try daemon.control(#"{"command":"forget","forget":{"visitor":"v1"}}"#)
        #expect((visitor["result"] as? [String: Any])?["removed_pairs"] as? Int == 1, "\(visitor)")
        #expect(try connection.query("SELECT count(*) FROM visitors").int64(0, 0) == 1)
        let advocate = try daemon.control(#"{"command":"forget","forget":{"advocate":"ann"}}"#)
        let pseudonym = try #require((advocate["result"] as? [String: Any])?["pseudonym"] as? String, "\(advocate)")
        #expect(try connection.query("SELECT advocate FROM shares WHERE token = 'f1'").string(0, 0) == pseudonym)
        #expect(try connection.query("SELECT count(*) FROM shares WHERE advocate = 'ann'").int64(0, 0) == 0)
        // The counters stay: the unique clicks were counted.
        #expect(try connection.query("SELECT sum(unique_clicks) FROM counters").int64(0, 0) == 2)
    }

    @Test("visitor_retention deletes old visitor pairs from the store too; recent ones and the counters stay")
    func retentionReachesTheStore() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "retaining")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([
            TestEvent(token: "r1", kind: .click(visitor: "old-1", bot: false), time: now - 3 * 3600),
            TestEvent(token: "r1", kind: .click(visitor: "old-2", bot: false), time: now - 5 * 3600),
            // Older than the hour by a minute, and younger by a minute: retention goes to the second.
            TestEvent(token: "r1", kind: .click(visitor: "old-3", bot: false), time: now - 3660),
            TestEvent(token: "r1", kind: .click(visitor: "new-2", bot: false), time: now - 3540),
            TestEvent(token: "r1", kind: .click(visitor: "new-1", bot: false), time: now),
        ])
        try daemon.waitUntilShipped()
        let connection = try store.connect()
        let counters = "SELECT hour, clicks, unique_clicks FROM counters ORDER BY hour"
        let before = try connection.query(counters)
        #expect(try connection.query("SELECT count(*) FROM visitors").int64(0, 0) == 5)
        #expect(try daemon.stop() == 0)

        let retaining = try store.daemon(node: "retaining", directory: daemon.directory,
                                         arguments: ["--visitor-retention", "1h"])
        #expect(try eventually(timeout: 30) {
            try connection.query("SELECT count(*) FROM visitors").int64(0, 0) == 2
        })
        let key = try #require(VisitorKey(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: store.keyFile)))))
        let left = try connection.query("SELECT visitor FROM visitors ORDER BY time")
        #expect((0..<left.count).map { left.int64($0, 0) } == ["new-2", "new-1"].map { Int64(bitPattern: key.hash($0)) })
        let after = try connection.query(counters)
        #expect(after.count == before.count)
        for row in 0..<after.count {
            for column in 0..<3 { #expect(after.string(row, column) == before.string(row, column)) }
        }
        #expect(try retaining.stop() == 0)
    }

    @Test("restarted while the store is down, status says what was shipped before, not 0; what it journals meanwhile is the backlog")
    func shippedGenerationAcrossARestartWithTheStoreDown() throws {
        let cluster = try PostgresCluster()
        let store = try SharedStoreFixture(cluster: cluster)
        let first = try store.daemon(node: "restarted")
        try first.send([SharedStoreFixture.share("before-1"), SharedStoreFixture.share("before-2")])
        try first.waitUntilShipped()
        let shipped = try #require(try first.sharedStore()["shipped_generation"] as? Int)
        #expect(shipped > 0)
        #expect(try first.stop() == 0)
        try cluster.stop()

        let daemon = try store.daemon(node: "restarted", directory: first.directory)
        #expect(try eventually { try daemon.sharedStore()["state"] as? String == "failing" })
        #expect(try daemon.sharedStore()["shipped_generation"] as? Int == shipped)
        try daemon.send([SharedStoreFixture.share("during")])
        _ = try daemon.control(#"{"command":"flush"}"#)
        let down = try daemon.sharedStore()
        #expect(down["shipped_generation"] as? Int == shipped && down["backlog_batches"] as? Int == 1, "\(down)")

        try cluster.start()
        try daemon.waitUntilShipped()
        #expect(try daemon.sharedStore()["shipped_generation"] as? Int ?? 0 > shipped)
        #expect(try store.shareTokens() == "before-1,before-2,during")
        #expect(try daemon.stop() == 0)
    }

    @Test("nodes before the store has answered once: an error saying why, not an empty list")
    func nodesOfAStoreNeverReached() throws {
        let nowhere = try DaemonProcess.makeTemporaryDirectory() + "/no-server-here"
        let daemon = try DaemonProcess(arguments: ["--node", "alone", "--shared-store", "host=\(nowhere) dbname=x"])
        #expect(try eventually { try daemon.sharedStore()["state"] as? String == "failing" })
        let nodes = try SharectlTests.sharectl(["nodes", "--socket", daemon.controlSocket])
        #expect(nodes.status != 0 && nodes.stderr.contains("has not answered since the start")
                && nodes.stderr.contains(nowhere), "\(nodes.stderr)")
        #expect(try daemon.stop() == 0)
    }
}
