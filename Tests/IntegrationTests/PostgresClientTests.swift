import Foundation
import ShareTrackShared
import Testing

/// The libpq client against a real PostgreSQL server (`PostgresCluster`).
@Suite struct PostgresClientTests {
    let cluster: PostgresCluster

    init() throws {
        cluster = try PostgresCluster.shared.get()
    }

    @Test func queriesWithParametersAndCopiesRows() throws {
        let connection = try PostgresConnection(cluster.conninfo(try cluster.createDatabase()))
        try connection.execute("CREATE TABLE t (name text, n bigint)")
        try connection.copy("COPY t FROM STDIN", Array("tab\\there\t1\nback\\\\slash\t2\n\\N\t3\n".utf8))
        try connection.query("INSERT INTO t VALUES ($1, $2)", ["it's", "4"])
        let rows = try connection.query("SELECT name, n FROM t WHERE n >= $1 ORDER BY n", ["1"])
        #expect(rows.count == 4)
        #expect(rows.string(0, 0) == "tab\there")
        #expect(rows.string(1, 0) == "back\\slash")
        #expect(rows.string(2, 0) == nil)
        #expect(rows.string(3, 0) == "it's" && rows.int64(3, 1) == 4)
    }

    @Test func classifiesErrorsBySQLState() throws {
        let connection = try PostgresConnection(cluster.conninfo(try cluster.createDatabase()))
        try connection.execute("CREATE TABLE u (id int PRIMARY KEY)")
        try connection.execute("INSERT INTO u VALUES (1)")
        let duplicate = #expect(throws: PostgresError.self) { try connection.execute("INSERT INTO u VALUES (1)") }
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.isTransient == false)
        // A failed statement inside a transaction rolls it back; the connection stays usable.
        #expect(throws: PostgresError.self) {
            try connection.transaction { () throws(PostgresError) in
                try connection.execute("INSERT INTO u VALUES (2)")
                try connection.execute("SELECT 1/0")
            }
        }
        #expect(try connection.query("SELECT count(*) FROM u").int64(0, 0) == 1)
        // Nobody listens there: transient, so the shipper retries.
        let refused = #expect(throws: PostgresError.self) {
            try PostgresConnection("host=127.0.0.1 port=1 dbname=x connect_timeout=2")
        }
        #expect(refused?.isTransient == true)
    }

    @Test func passwordFromTheSideNeverInMessages() throws {
        let database = try cluster.createDatabase()
        let uri = cluster.uri(database, role: PostgresCluster.passwordRole)
        let connection = try PostgresConnection(uri, password: PostgresCluster.password)
        #expect(try connection.query("SELECT current_user").string(0, 0) == PostgresCluster.passwordRole)
        let wrong = #expect(throws: PostgresError.self) { try PostgresConnection(uri, password: "wrong-password-123") }
        #expect(wrong?.description.contains("wrong-password-123") == false)
        #expect(wrong?.description.contains("password authentication failed") == true)
        // A password inside the connection string is redacted too.
        let inline = "postgresql://\(PostgresCluster.passwordRole):inline-secret-456@127.0.0.1:\(cluster.port)/\(database)"
        let failed = #expect(throws: PostgresError.self) { try PostgresConnection(inline) }
        #expect(failed?.description.contains("inline-secret-456") == false)
    }
}
