import Foundation
import Glibc
import ShareTrackShared

/// A throwaway PostgreSQL server for the tests: `initdb` in a temporary directory (as `nobody` when
/// the tests run as root, since PostgreSQL refuses to run as root), listening on a Unix socket in
/// that directory and on a free loopback port.
///
/// `shared` is started once per test run and serves every test a database of its own; a test that
/// stops the server makes a cluster of its own. A watcher process stops the server and removes the
/// directory when the test process ends, however it ends; `deinit` does it at once.
final class PostgresCluster: Sendable {
    static let binaries = "/usr/lib/postgresql/15/bin"
    /// The role that authenticates with a password (the others are trusted).
    static let passwordRole = "shipper"
    static let password = "s3cret-for-tests"

    /// The cluster every test shares (started at first use).
    static let shared = Result { try PostgresCluster() }

    let directory: String
    let port: Int
    private let user: String?
    private let watcher: pid_t

    /// `maxConnections`: the server's `max_connections` (3 of them reserved for superusers).
    init(maxConnections: Int = 300) throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let user = getuid() == 0 ? "nobody" : nil
        if user != nil, chown(directory, 65534, 65534) != 0 { throw TestFailure("cannot chown \(directory)") }
        let port = try Self.freePort()
        let data = directory + "/data"
        try Self.run(user, directory, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        let settings = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(directory)'
            fsync = off
            max_connections = \(maxConnections)
            """
        try Self.append(settings, to: data + "/postgresql.conf")
        let hba = try String(contentsOfFile: data + "/pg_hba.conf", encoding: .utf8)
        try ("local all \(Self.passwordRole) scram-sha-256\nhost all \(Self.passwordRole) 127.0.0.1/32 scram-sha-256\n" + hba)
            .write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
        watcher = try Self.watch(parent: getpid(), stop: Self.command(user, "pg_ctl", "-D", data, "stop", "-m", "immediate"),
                                 directory: directory)
        self.directory = directory
        self.user = user
        self.port = port
        try start()
        let admin = try connect()
        try admin.execute("CREATE ROLE \(Self.passwordRole) LOGIN CREATEDB PASSWORD '\(Self.password)'")
    }

    deinit {
        try? run("pg_ctl", "-D", data, "stop", "-m", "immediate")
        kill(watcher, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var data: String { directory + "/data" }

    /// The conninfo of `database` over the Unix socket, as the superuser.
    func conninfo(_ database: String = "postgres") -> String {
        "host=\(directory) port=\(port) user=postgres dbname=\(database)"
    }

    /// A URI of `database` over TCP, for `role` (no password in it).
    func uri(_ database: String, role: String = "postgres") -> String {
        "postgresql://\(role)@127.0.0.1:\(port)/\(database)"
    }

    func connect(_ database: String = "postgres") throws -> PostgresConnection {
        try PostgresConnection(conninfo(database))
    }

    /// A new, empty database owned by the password role; returns its name.
    func createDatabase() throws -> String {
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try connect().execute("CREATE DATABASE \(name) OWNER \(Self.passwordRole)")
        return name
    }

    func start() throws {
        try run("pg_ctl", "-D", data, "-l", directory + "/server.log", "-w", "-t", "60", "start")
    }

    func stop() throws {
        try run("pg_ctl", "-D", data, "-w", "stop", "-m", "fast")
    }

    private func run(_ binary: String, _ arguments: String...) throws {
        try Self.run(user, directory, binary, arguments)
    }

    /// Closes every descriptor above 2, then runs its arguments. The server (and the watcher) live
    /// long: a descriptor they inherited from the test process (a pipe another test's `Process`
    /// watches for its child's exit or output) would otherwise stay open as long as they do.
    static let closingInherited = ["/bin/bash", "-c",
        #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@""#,
        "bash"]

    /// `binary arguments` as `user`, with no inherited descriptor but stdin, stdout and stderr.
    private static func command(_ user: String?, _ binary: String, _ arguments: String...) -> [String] {
        let program = [Self.binaries + "/" + binary] + arguments
        return closingInherited + (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] + program } ?? program)
    }

    private static func run(_ user: String?, _ directory: String, _ binary: String, _ arguments: String...) throws {
        try run(user, directory, binary, arguments)
    }

    /// Runs with `posix_spawn` and `waitpid`: `pg_ctl start` leaves the server holding whatever it
    /// inherited, which would keep Foundation's `Process` waiting.
    private static func run(_ user: String?, _ directory: String, _ binary: String, _ arguments: [String]) throws {
        let argv = command(user, binary) + arguments
        let log = directory + "/commands.log"
        let process = try SpawnedProcess(argv[0], Array(argv.dropFirst()),
                                         environment: ProcessInfo.processInfo.environment, log: log)
        guard process.waitForExit(timeout: 120) == 0 else {
            throw TestFailure("\(binary) failed:\n" + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
        }
    }

    private static func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + text + "\n").utf8))
    }

    /// A shell in a session of its own that waits for `parent` to end, then runs `stop` and removes
    /// `directory`.
    static func watch(parent: pid_t, stop: [String], directory: String) throws -> pid_t {
        let script = "while kill -0 \(parent) 2>/dev/null; do sleep 1; done; "
            + stop.map { "'\($0)'" }.joined(separator: " ") + " >/dev/null 2>&1; rm -rf '\(directory)'"
        let words: [String] = ["/usr/bin/setsid"] + closingInherited + ["/bin/sh", "-c", script]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        guard posix_spawn(&child, "/usr/bin/setsid", &actions, nil, argv, environ) == 0 else {
            throw TestFailure("cannot start the PostgreSQL watcher")
        }
        return child
    }

    /// A loopback TCP port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
