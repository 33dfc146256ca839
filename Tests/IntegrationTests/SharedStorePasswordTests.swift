import Foundation
import Glibc
import ShareTrackShared
import Testing

/// `shared_store_password_file` is read at each connection, as libpq reads `PGPASSFILE`: a
/// password rotated in it is used without a restart. A cluster of its own: the role's password
/// changes.
@Suite("Shared store password rotation", .serialized)
struct SharedStorePasswordTests {
    @Test("a password changed in shared_store_password_file is used from the next connection on, without a restart")
    func rotatedPassword() throws {
        let cluster = try PostgresCluster()
        let store = try SharedStoreFixture(cluster: cluster)
        let daemon = try store.daemon(node: "rotating")
        try daemon.send([SharedStoreFixture.share("r1")])
        try daemon.waitUntilShipped()

        // The role's password and the file change; the daemon's session is cut, so it connects again.
        let rotated = "rotated-secret-789"
        try cluster.connect().execute("ALTER ROLE \(PostgresCluster.passwordRole) PASSWORD '\(rotated)'")
        try (rotated + "\n").write(toFile: store.passwordFile, atomically: true, encoding: .utf8)
        _ = try cluster.connect().query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(PostgresCluster.passwordRole)'")
        try daemon.send([SharedStoreFixture.share("r2")])
        try daemon.waitUntilShipped()
        #expect(try store.shareTokens() == "r1,r2")
        #expect(try daemon.sharedStore()["state"] as? String == "ok")
        #expect(!daemon.log.contains(rotated))
        #expect(try daemon.stop() == 0)
    }
}
