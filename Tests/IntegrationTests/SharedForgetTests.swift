import Foundation
import ShareTrackCore
import Testing

@testable import ShareTrackShared

/// `forget` on a node whose shared store is not taking batches (docs/privacy.md): the database
/// and the journal are scrubbed at once (the batches waiting to be shipped rewritten with the id
/// erased, the erasure itself sealed), the answer says the store's part is pending, and the store
/// gets the erasure once shipping resumes, also across a restart in between. `visitor_retention`
/// likewise leaves the pairs that come of age out of the batches waiting to be shipped.
@Suite("Forget and retention while the shared store waits", .serialized)
struct SharedForgetTests {
    @Test("forget while shipping is held: the id in no file at once, the store erased once shipping resumes, across a restart")
    func forgetWhileShippingWaits() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "late")
        let now = Int64(Date().timeIntervalSince1970)
        let advocate = "zq-late-advocate"
        let visitor = "zq-late-visitor"
        try daemon.send([TestEvent(token: "l1", kind: .share(advocate: advocate, venue: "cafe", followers: 10), time: now),
                         TestEvent(token: "l1", kind: .click(visitor: visitor, bot: false), time: now)])
        try daemon.waitUntilShipped()

        let lock = try store.holdShipping()
        try daemon.send([TestEvent(token: "l2", kind: .share(advocate: advocate, venue: "bar", followers: 20), time: now),
                         TestEvent(token: "l2", kind: .click(visitor: visitor, bot: false), time: now),
                         TestEvent(token: "l2", kind: .click(visitor: "someone-else", bot: false), time: now)])
        let forget = try PrivacyTests.sharectl(daemon, ["forget", "--advocate", advocate])
        #expect(forget.status == 0, "\(forget.stderr)")
        let pseudonym = try #require(forget.stdout.firstMatch(of: /forgotten-[0-9a-f]{12}/), "\(forget.stdout)").output
        #expect(forget.stdout.contains("shared store has not received the erasure"), "\(forget.stdout)")
        let forgetVisitor = try PrivacyTests.sharectl(daemon, ["forget", "--visitor", visitor, "--json"])
        #expect(forgetVisitor.status == 0, "\(forgetVisitor.stderr)")
        let answer = forgetVisitor.json as? [String: Any]
        #expect(answer?["removed_pairs"] as? Int == 2 && answer?["shared_store"] as? String == "pending", "\(forgetVisitor.stdout)")

        let key = try #require(FileManager.default.contents(atPath: store.keyFile).flatMap { VisitorKey(bytes: Array($0)) })
        let hash = key.hash(visitor)
        #expect(try PrivacyTests.filesHolding(advocate, in: daemon).isEmpty)
        #expect(try Self.filesHolding(hash, in: daemon).isEmpty)
        let renamed = try PrivacyTests.sharectl(daemon, ["advocate", String(pseudonym), "--json"])
        #expect(((renamed.json as? [String: Any])?["totals"] as? [String: Any])?["shares"] as? Int == 2, "\(renamed.stdout)")

        // A restart before the store has them: the sealed erasures are read back and shipped in order.
        #expect(try daemon.stop() == 0)
        let restarted = try store.daemon(node: "late", directory: daemon.directory)
        try lock.execute("COMMIT")
        try restarted.waitUntilShipped()
        #expect(try PrivacyTests.filesHolding(advocate, in: restarted).isEmpty)
        let connection = try store.connect()
        let shares = try connection.query("SELECT DISTINCT advocate FROM shares")
        #expect(shares.count == 1 && shares.string(0, 0) == String(pseudonym))
        let pairs = try connection.query("SELECT count(*) FILTER (WHERE visitor = \(Int64(bitPattern: hash))), count(*) FROM visitors")
        #expect(pairs.string(0, 0) == "0" && pairs.string(0, 1) == "1", "\(pairs)")
        let clicks = try connection.query("SELECT sum(clicks), sum(unique_clicks) FROM counters")
        #expect(clicks.string(0, 0) == "3" && clicks.string(0, 1) == "3")
        let done = try PrivacyTests.sharectl(restarted, ["forget", "--advocate", "nobody-known", "--json"])
        #expect((done.json as? [String: Any])?["shared_store"] as? String == "erased", "\(done.stdout)")
        let text = try PrivacyTests.sharectl(restarted, ["forget", "--advocate", "nobody-known-either"]).stdout
        #expect(text.contains("no share of it was stored here; in the shared store, its shares no earlier forget renamed go under forgotten-"),
                "\(text)")
        #expect(try restarted.stop() == 0)
    }

    @Test("visitor_retention while shipping is held: a pair that comes of age leaves the journal's unshipped batches, and the store keeps only the others")
    func retentionWhileShippingWaits() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "aging", shipped: "r1")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "r1", kind: .click(visitor: "zq-aged", bot: false), time: now - 3 * 3600),
                         TestEvent(token: "r1", kind: .click(visitor: "zq-fresh", bot: false), time: now)])
        #expect(try PrivacyTests.sharectl(daemon, ["flush"]).status == 0)
        let key = try #require(FileManager.default.contents(atPath: store.keyFile).flatMap { VisitorKey(bytes: Array($0)) })
        let aged = key.hash("zq-aged")
        let inJournal = { try Self.filesHolding(aged, in: daemon).filter { $0.contains("journal") } }
        #expect(try !inJournal().isEmpty)

        // The daemon's configuration file (`DaemonProcess`), read again by a reload.
        try "visitor_retention: 1h\n".write(toFile: daemon.directory + "/none.yaml", atomically: true, encoding: .utf8)
        #expect(try PrivacyTests.sharectl(daemon, ["reload"]).status == 0)
        var left = ["?"]
        #expect(try eventually(timeout: 10) {
            left = try inJournal()
            return left.isEmpty
        }, "still in \(left)")

        // A shipment the shipper had read before the rewrite (waiting for the lock) may still carry
        // the pair: the store's own retention, which runs right after, deletes it there.
        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        let fresh = String(Int64(bitPattern: key.hash("zq-fresh")))
        #expect(try eventually(timeout: 15) {
            let pairs = try store.connect().query("SELECT visitor FROM visitors")
            return pairs.count == 1 && pairs.string(0, 0) == fresh
        })
        let clicks = try store.connect().query("SELECT sum(clicks), sum(unique_clicks) FROM counters")
        #expect(clicks.string(0, 0) == "2" && clicks.string(0, 1) == "2")
        #expect(try daemon.stop() == 0)
    }

    @Test("sharectl flush while a forget waits for the store (up to 3 s, on the apply queue): answers do not wait for either")
    func flushWhileForgetWaits() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "flushing", shipped: "w0")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var forget: SharectlTests.Run?
        nonisolated(unsafe) var flush: SharectlTests.Run?
        let socket = ["--socket", daemon.controlSocket]
        // Threads of their own, started at once (the global queue's may start later).
        Thread { forget = try? SharectlTests.sharectl(["forget", "--advocate", "ann"] + socket); done.signal() }.start()
        usleep(500_000)
        Thread { flush = try? SharectlTests.sharectl(["flush"] + socket); done.signal() }.start()
        usleep(500_000)
        // Answered once the next timed flush commits it (0.1 s), not once the forget is done.
        let start = Date()
        #expect(try daemon.send([SharedStoreFixture.share("w1")]) == ["ok"])
        #expect(Date().timeIntervalSince(start) < 1.5, "answered after \(Date().timeIntervalSince(start)) s")
        #expect(done.wait(timeout: .now() + 20) == .success && done.wait(timeout: .now() + 20) == .success)
        #expect(forget?.status == 0 && flush?.status == 0, "\(forget?.stderr ?? "") \(flush?.stderr ?? "")")
        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        #expect(try daemon.stop() == 0)
    }

    @Test("a crash during forget while shipping is held, once the tables have the erasure: the next start erases the id from every file")
    func crashDuringForgetWhileShippingWaits() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let (daemon, lock) = try store.daemonWithShippingHeld(node: "crashed", shipped: "c0")
        let advocate = "zq-crashed-advocate"
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "c1", kind: .share(advocate: advocate, venue: "cafe", followers: 10), time: now)])
        var holding: [String] = []
        let inTablesAndJournal = {
            holding = try PrivacyTests.filesHolding(advocate, in: daemon)
            return holding.contains { !$0.contains(".journal") } && holding.contains { $0.contains(".journal") }
        }
        #expect(try eventually(timeout: 10, inTablesAndJournal), "\(holding)")

        // `forget` waits 3 s for the store once the tables have the pseudonym, before it rewrites
        // the journal's unshipped batches: the daemon is killed in between.
        let client = try LineClient(path: daemon.controlSocket)
        try client.send(#"{"command":"forget","forget":{"advocate":"\#(advocate)"}}"# + "\n")
        #expect(try eventually(timeout: 10) {
            holding = try PrivacyTests.filesHolding("forgotten-", in: daemon)
            return holding.contains { !$0.contains(".journal") }
        }, "\(holding)")
        #expect(try PrivacyTests.filesHolding(advocate, in: daemon).contains { $0.contains(".journal") })
        _ = try daemon.stop(signal: SIGKILL)

        let restarted = try store.daemon(node: "crashed", directory: daemon.directory)
        #expect(try PrivacyTests.filesHolding(advocate, in: restarted).isEmpty)
        try lock.execute("COMMIT")
        try restarted.waitUntilShipped()
        let shares = try store.connect().query("SELECT advocate FROM shares WHERE token = 'c1'")
        #expect(shares.count == 1 && shares.string(0, 0)?.hasPrefix("forgotten-") == true, "\(shares)")
        #expect(try restarted.stop() == 0)
    }

    /// The files under the daemon's directory holding `hash`'s 8 bytes in either order.
    static func filesHolding(_ hash: UInt64, in daemon: DaemonProcess) throws -> [String] {
        try [hash.littleEndian, hash.bigEndian].flatMap { value in
            try PrivacyTests.filesHolding(withUnsafeBytes(of: value) { Data($0) }, in: daemon)
        }
    }
}
