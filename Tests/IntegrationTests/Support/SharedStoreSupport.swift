import Foundation
import Glibc
import ShareTrackShared

/// A database of its own in a PostgreSQL cluster, and daemons that ship to it as the password
/// role (the password from a file, as systemd's `LoadCredential=` would give it), all with the
/// same visitor key.
struct SharedStoreFixture {
    let cluster: PostgresCluster
    let database: String
    let passwordFile: String
    let keyFile: String
    /// Where the daemons connect: the server itself, or a pooler in front of it.
    var uri: String

    init(cluster: PostgresCluster) throws {
        self.cluster = cluster
        database = try cluster.createDatabase()
        uri = cluster.uri(database, role: PostgresCluster.passwordRole)
        let directory = try DaemonProcess.makeTemporaryDirectory()
        passwordFile = directory + "/password"
        try (PostgresCluster.password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        keyFile = try Self.makeKeyFile(in: directory)
    }

    /// A daemon named `node` shipping here (with the shared visitor key unless `arguments` name one).
    func daemon(node: String, directory: String? = nil, arguments: [String] = []) throws -> DaemonProcess {
        let key = arguments.contains("--visitor-key-file") ? [] : ["--visitor-key-file", keyFile]
        return try DaemonProcess(directory: directory, arguments: key + [
            "--flush-interval", "0.1", "--node", node,
            "--shared-store", uri,
            "--shared-store-password-file", passwordFile,
        ] + arguments)
    }

    /// Node `node-<index>` (database id index + 1) in this process, connected as the daemons' role
    /// (who must own what a migration alters), without a visitor key.
    func node(_ index: Int, notices: @escaping (String) -> Void = { _ in }) throws -> SharedStore {
        try SharedStore(conninfo: uri, password: PostgresCluster.password, node: "node-\(index)",
                        databaseID: Int64(index + 1), keyFingerprint: nil, keyFile: "", notices: notices)
    }

    /// A new visitor key file (32 random bytes, mode 0600) in `directory`.
    static func makeKeyFile(in directory: String) throws -> String {
        let path = directory + "/visitor.key"
        let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        guard FileManager.default.createFile(atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw TestFailure("cannot create \(path)")
        }
        return path
    }

    func connect() throws -> PostgresConnection {
        try cluster.connect(database)
    }

    /// A daemon that has shipped one share (`token`, by `ann` at `cafe`), and then a connection
    /// holding the store's `nodes` locked (`holdShipping()`): the daemon's next shipment waits.
    func daemonWithShippingHeld(node: String, shipped token: String) throws -> (daemon: DaemonProcess, lock: PostgresConnection) {
        let daemon = try daemon(node: node)
        try daemon.send([Self.share(token)])
        try daemon.waitUntilShipped()
        return (daemon, try holdShipping())
    }

    /// The tokens of the store's shares, in order, joined by commas.
    func shareTokens() throws -> String {
        try connect().query("SELECT string_agg(token, ',' ORDER BY token) FROM shares").string(0, 0) ?? ""
    }

    /// A share of `token` by `ann` at `cafe`, now.
    static func share(_ token: String) -> TestEvent {
        TestEvent(token: token, kind: .share(advocate: "ann", venue: "cafe", followers: 10), time: Int64(Date().timeIntervalSince1970))
    }

    /// A connection holding the store's `nodes` locked, so that shipping waits (each shipment
    /// records its generation there) until it commits.
    func holdShipping() throws -> PostgresConnection {
        let lock = try connect()
        try lock.execute(Self.lockNodes)
        return lock
    }

    static let lockNodes = "BEGIN; LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE"

    /// Every counter row that is not all zeros, as the reference model spells them.
    func counters() throws -> [ReferenceModel.Key: ReferenceModel.Row] {
        let rows = try connect().query("""
            SELECT token, hour, shares, reach, clicks, unique_clicks, bot_clicks, conversions, value FROM counters
            """)
        var counters: [ReferenceModel.Key: ReferenceModel.Row] = [:]
        for index in 0..<rows.count {
            let row = ReferenceModel.Row(
                shares: Int(rows.int64(index, 2)), reach: Int(rows.int64(index, 3)), clicks: Int(rows.int64(index, 4)),
                uniqueClicks: Int(rows.int64(index, 5)), botClicks: Int(rows.int64(index, 6)),
                conversions: Int(rows.int64(index, 7)), value: rows.double(index, 8))
            if row != ReferenceModel.Row() {
                counters[ReferenceModel.Key(token: rows.string(index, 0)!, hour: rows.int64(index, 1))] = row
            }
        }
        return counters
    }

    /// The differences between the store's counters and `model`'s (money to a millionth).
    func differences(from model: ReferenceModel) throws -> [String] {
        let stored = try counters()
        let expected = model.counters.filter { $0.value != ReferenceModel.Row() }
        var lines: [String] = []
        for (key, row) in expected {
            guard let found = stored[key] else {
                lines.append("\(key.token)@\(key.hour): missing, expected \(row)")
                continue
            }
            var rounded = found
            if abs(found.value - row.value) < 1e-6 { rounded.value = row.value }
            if rounded != row { lines.append("\(key.token)@\(key.hour): stored \(found), expected \(row)") }
        }
        for key in stored.keys where expected[key] == nil {
            lines.append("\(key.token)@\(key.hour): stored \(stored[key]!), not expected")
        }
        return lines.sorted()
    }
}

extension DaemonProcess {
    /// The `shared_store` object of `status`.
    func sharedStore() throws -> [String: Any] {
        try status()["shared_store"] as? [String: Any] ?? [:]
    }

    /// Waits until everything the daemon acknowledged is shipped.
    func waitUntilShipped(timeout: Double = 60) throws {
        let shipped = try eventually(timeout: timeout) {
            let status = try self.status()
            let store = status["shared_store"] as? [String: Any] ?? [:]
            return StatusNumbers(status).pendingEvents == 0 && store["backlog_batches"] as? Int == 0
                && store["state"] as? String != "failing"
        }
        if !shipped { throw TestFailure("not shipped within \(timeout) s: \(try sharedStore())\n\(log)") }
    }

    /// Sends `events` over one connection, in order, 500 lines at a time; returns the answers' codes.
    @discardableResult
    func send(_ events: [TestEvent]) throws -> [String] {
        let client = try LineClient(path: ingestSocket)
        var codes: [String] = []
        for start in stride(from: 0, to: events.count, by: 500) {
            let chunk = events[start..<min(start + 500, events.count)]
            try client.send(lines: chunk.map(\.line))
            codes += try chunk.map { _ in try client.nextCode() }
        }
        return codes
    }

    /// Sends `event` as a test event (`"test": true`: counted only in its source's `test`); returns the answer's code.
    @discardableResult
    func sendTest(_ event: TestEvent) throws -> String {
        let client = try LineClient(path: ingestSocket)
        try client.send(lines: [String(event.line.dropLast()) + #","test":true}"#])
        return try client.nextCode()
    }
}
