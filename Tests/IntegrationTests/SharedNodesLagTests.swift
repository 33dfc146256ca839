import Foundation
import Testing

/// `sharectl nodes` on a node whose shipping waits: the store's last reading of it stops moving,
/// but its own row's lag is at least its backlog's age.
@Suite("Nodes while shipping waits", .serialized)
struct SharedNodesLagTests {
    @Test("live nodes: this node's behind_seconds grows with its backlog while the store takes nothing")
    func ownLagFollowsTheBacklog() throws {
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let daemon = try store.daemon(node: "waiting")
        let now = Int64(Date().timeIntervalSince1970)
        try daemon.send([TestEvent(token: "w1", kind: .share(advocate: "a", venue: "cafe", followers: 10), time: now)])
        try daemon.waitUntilShipped()
        let ownRow = { () throws -> [String: Any]? in
            let rows = try daemon.control(#"{"command":"nodes"}"#)["result"] as? [[String: Any]] ?? []
            return rows.first { $0["node"] as? String == "waiting" }
        }
        #expect(try eventually { try ownRow() != nil })

        let lock = try store.holdShipping()
        try daemon.send([TestEvent(token: "w2", kind: .share(advocate: "a", venue: "bar", followers: 20), time: now)])
        sleep(3)
        let behind = try ownRow()?["behind_seconds"] as? Double ?? 0
        #expect(behind >= 2, "behind_seconds \(behind)")
        try lock.execute("COMMIT")
        try daemon.waitUntilShipped()
        #expect(try daemon.stop() == 0)
    }
}
