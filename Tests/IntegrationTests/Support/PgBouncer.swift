import Foundation
import Glibc
import ShareTrackShared

/// Debian's PgBouncer in front of a `PostgresCluster`, in transaction pooling mode: every client
/// transaction may run on another of at most `poolSize` server connections. Clients log in as the
/// cluster's password role (PgBouncer checks the password itself, then logs in to the server with
/// it). Stopped when the test process ends, however it ends; `deinit` does it at once.
final class PgBouncer {
    static let binary = "/usr/sbin/pgbouncer"

    let port: Int
    private let directory: String
    private let process: SpawnedProcess
    private let watcher: pid_t

    init(cluster: PostgresCluster, poolSize: Int) throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        // PgBouncer will not run as root: it switches to nobody, who must write its log.
        if getuid() == 0, chown(directory, 65534, 65534) != 0 { throw TestFailure("cannot chown \(directory)") }
        let port = try PostgresCluster.freePort()
        try "\"\(PostgresCluster.passwordRole)\" \"\(PostgresCluster.password)\"\n"
            .write(toFile: directory + "/users.txt", atomically: true, encoding: .utf8)
        try """
            [databases]
            * = host=\(cluster.directory) port=\(cluster.port)
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = \(directory)/users.txt
            pool_mode = transaction
            default_pool_size = \(poolSize)
            max_db_connections = \(poolSize)
            max_client_conn = 500
            logfile = \(directory)/pgbouncer.log
            """.write(toFile: directory + "/pgbouncer.ini", atomically: true, encoding: .utf8)
        let user = getuid() == 0 ? ["-u", "nobody"] : []
        let argv = PostgresCluster.closingInherited + [Self.binary] + user + [directory + "/pgbouncer.ini"]
        process = try SpawnedProcess(argv[0], Array(argv.dropFirst()), environment: [:], log: directory + "/stderr.log")
        watcher = try PostgresCluster.watch(parent: getpid(), stop: ["/bin/kill", "-KILL", "\(process.pid)"],
                                            directory: directory)
        self.directory = directory
        self.port = port
        try waitUntilListening()
    }

    deinit {
        kill(process.pid, SIGTERM)
        _ = process.waitForExit(timeout: 10)
        kill(watcher, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A URI of `database` through PgBouncer, for the password role (no password in it).
    func uri(_ database: String) -> String {
        "postgresql://\(PostgresCluster.passwordRole)@127.0.0.1:\(port)/\(database)"
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else { break }
            if (try? PostgresConnection(uri("postgres"), password: PostgresCluster.password)) != nil { return }
            usleep(100_000)
        }
        let log = (try? String(contentsOfFile: directory + "/pgbouncer.log", encoding: .utf8)) ?? ""
        throw TestFailure("pgbouncer did not start:\n\(log)")
    }
}
