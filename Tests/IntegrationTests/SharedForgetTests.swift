import Foundation
import Testing

/// `forget` on a node whose shared store is not taking batches (docs/privacy.md): the database
/// is scrubbed at once, the answer names the pseudonym, and the journal, which keeps the batches
/// until they are shipped, is scrubbed once they are.
@Suite("Forget while the shared store waits", .serialized)
struct SharedForgetTests {
    @Test("forget while shipping is held: the database and its log scrubbed at once, the journal once shipped")
    func forgetWhileShippingWaits() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "late")
        let now = Int64(Date().timeIntervalSince1970)
        let advocate = "zq-late-advocate"
        try daemon.send([TestEvent(token: "l1", kind: .share(advocate: advocate, venue: "cafe", followers: 10), time: now)])
        try daemon.waitUntilShipped()

        // Shipping waits on the lock of the store's `nodes` (each shipment records its generation there).
        let lock = try store.connect()
        try lock.execute("BEGIN; LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE")
        try daemon.send([TestEvent(token: "l2", kind: .share(advocate: advocate, venue: "bar", followers: 20), time: now)])
        let forget = try PrivacyTests.sharectl(daemon, ["forget", "--advocate", advocate])
        #expect(forget.status != 0)
        let pseudonym = try #require(forget.stderr.firstMatch(of: /forgotten-[0-9a-f]{12}/), "\(forget.stderr)").output
        #expect(forget.stderr.contains("shared store has not received the erasure"), "\(forget.stderr)")
        let holding = try PrivacyTests.filesHolding(advocate, in: daemon)
        #expect(holding.allSatisfy { $0.contains("journal") }, "\(holding)")
        let renamed = try PrivacyTests.sharectl(daemon, ["advocate", String(pseudonym), "--json"])
        #expect(((renamed.json as? [String: Any])?["totals"] as? [String: Any])?["shares"] as? Int == 2, "\(renamed.stdout)")

        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        var left = ["?"]
        #expect(try eventually {
            left = try PrivacyTests.filesHolding(advocate, in: daemon)
            return left.isEmpty
        }, "still in \(left)")
        let shares = try store.connect().query("SELECT DISTINCT advocate FROM shares")
        #expect(shares.count == 1 && shares.string(0, 0) == String(pseudonym))
        #expect(try daemon.stop() == 0)
    }
}
