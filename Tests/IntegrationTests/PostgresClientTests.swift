import Foundation
@testable import ShareTrackShared
import Testing

/// The libpq client against a real PostgreSQL server (`PostgresCluster`).
@Suite struct PostgresClientTests {
    let cluster: PostgresCluster

    init() throws {
        cluster = try PostgresCluster.shared.get()
    }

    @Test func queriesWithParametersAndRowsAsArrays() throws {
        let connection = try PostgresConnection(cluster.conninfo(try cluster.createDatabase()))
        try connection.execute("CREATE TABLE t (name text, n bigint)")
        // Rows as array parameters (how a shipment travels): whatever a text holds comes back as it was.
        let names: [String?] = ["tab\there", "back\\slash", nil, "\"quoted\", {braces}", "", "NULL", " spaced ",
                                "new\nline", "é ☕ 👍"]
        var rows = ArrayRows([.init(name: "name", type: "text"), .init(name: "n", type: "bigint")])
        for (index, name) in names.enumerated() { rows.add(.text(name), .number(Int64(index) - 1)) }
        try connection.query("INSERT INTO t SELECT * FROM " + ArrayRows.unnest(rows.columns, from: 1, as: "r"),
                             rows.parameters)
        try connection.query("INSERT INTO t VALUES ($1, $2)", ["it's", "100"])
        let stored = try connection.query("SELECT name, n FROM t WHERE n >= $1 ORDER BY n", ["-1"])
        #expect(stored.count == names.count + 1)
        #expect((0..<names.count).map { stored.string($0, 0) } == names)
        #expect((0..<names.count).map { stored.int64($0, 1) } == (0..<names.count).map { Int64($0) - 1 })
        #expect(stored.string(names.count, 0) == "it's")
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
        // And a password libpq misreads as the port, the host or the database (an unencoded `/` or
        // `@` in it, or no `@host`), which its error then quotes.
        for misread in ["postgresql://u:Zq8/misread-secret@127.0.0.1:\(cluster.port)/\(database)",
                        "postgresql://u:misread-secret/\(database)", "postgresql://u:Zq8@misread-secret@127.0.0.1/db"] {
            let refused = #expect(throws: PostgresError.self) { try PostgresConnection(misread) }
            #expect(refused.map { !$0.description.contains("misread-secret") && !$0.description.contains("Zq8") } == true,
                    "\(String(describing: refused))")
        }
        // Its pieces of one or two characters too, where libpq quotes them (as the port here).
        for short in ["Sx", "S"] {
            let refused = #expect(throws: PostgresError.self) {
                try PostgresConnection("postgresql://u:\(short)/misread-secret@127.0.0.1:\(cluster.port)/\(database)")
            }
            #expect(refused.map { !$0.description.contains("\"\(short)\"") && $0.description.contains("\"***\"") } == true,
                    "\(String(describing: refused))")
        }
        // And so is what libpq quotes of a connection string it cannot read, which may be the password.
        for unreadable in ["postgresql://u:Zq9%ZZunread-secret@127.0.0.1/db", "host=127.0.0.1 password=Zq9 unread-secret"] {
            let refused = #expect(throws: PostgresError.self) { try PostgresConnection(unreadable) }
            #expect(refused?.description.contains("cannot read the shared store's connection string") == true)
            #expect(refused?.description.contains("unread-secret") == false, "\(String(describing: refused))")
        }
    }
}
