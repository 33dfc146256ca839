import Foundation
import Glibc
import Testing

/// Who may reach the sockets and what they may do there: sockets no wider than `socket_mode`,
/// the changing commands (`flush`, `reload`, `backup`, `reset-source`) only for root and
/// `ops_group`, queries for anyone who can connect, and no request that names a file (but the
/// privileged `backup`'s new file) or runs anything.
@Suite("Access", .serialized)
struct AccessTests {
    /// A one-line client run as another user: Python if the system has it, else socat.
    static let client: [String]? = {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            return ["/usr/bin/python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX)
                s.connect(sys.argv[1])
                s.sendall(sys.argv[2].encode() + b"\\n")
                data = b""
                while not data.endswith(b"\\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                sys.stdout.write(data.decode())
                """]
        }
        return nil
    }()

    static let canSwitchUser = getuid() == 0 && client != nil
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    static let canAddGroups = canSwitchUser && FileManager.default.isExecutableFile(atPath: "/usr/sbin/groupadd")
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/groupdel")

    /// Sends `request` to `socket` as `user`/`group` with no supplementary groups; returns what came back,
    /// or the client's error output.
    static func request(_ request: String, socket: String, user: String = "nobody", group: String = "nogroup")
        throws -> (status: Int32, output: String) {
        try runCommand("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(group)", "--clear-groups"]
            + client! + [socket, request])
    }

    /// The decoded answer of a control request run as another user.
    static func control(_ request: String, _ daemon: DaemonProcess, group: String = "nogroup") throws -> [String: Any] {
        let (status, output) = try Self.request(request, socket: daemon.controlSocket, group: group)
        guard status == 0 else { throw TestFailure("client failed: \(output)") }
        return try LineClient.decode(output.trimmingCharacters(in: .newlines))
    }

    /// A daemon whose directory anyone may enter, so that only the socket's own mode decides.
    static func openDaemon(_ arguments: [String] = [], config: String = "") throws -> DaemonProcess {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        chmod(directory, 0o777)
        try config.write(toFile: directory + "/sharetrackd.yaml", atomically: true, encoding: .utf8)
        return try DaemonProcess(directory: directory, arguments: ["--config", directory + "/sharetrackd.yaml"] + arguments)
    }

    @Test("both sockets get the default socket_mode 0660, owned by the daemon's user; a stranger cannot connect",
          .enabled(if: canSwitchUser))
    func defaultSocketMode() throws {
        let daemon = try Self.openDaemon()
        for path in [daemon.ingestSocket, daemon.controlSocket] {
            var info = stat()
            #expect(lstat(path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o7777 == 0o660, "\(path): \(String(info.st_mode & 0o7777, radix: 8))")
            #expect(info.st_uid == getuid())
            let (status, output) = try Self.request(#"{"command":"status"}"#, socket: path)
            #expect(status != 0 && output.contains("Permission denied"), "\(output)")
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("directories the daemon makes for its sockets let socket_mode decide: 0755, and a stranger may connect to a 0666 socket",
          .enabled(if: canSwitchUser))
    func madeSocketDirectories() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        chmod(directory, 0o755)
        let run = directory + "/run/sharetrack"
        let daemon = try DaemonProcess(directory: directory, arguments: [
            "--socket-mode", "0666", "--ingest-socket", run + "/ingest.sock", "--control-socket", run + "/control.sock",
        ], waitForReady: false)
        #expect(eventually { FileManager.default.fileExists(atPath: run + "/control.sock") }, "\(daemon.log)")
        for path in [directory + "/run", run] {
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_mode & 0o7777 == 0o755, "\(path): \(String(info.st_mode & 0o7777, radix: 8))")
        }
        let (status, output) = try Self.request(#"{"command":"status"}"#, socket: run + "/control.sock")
        #expect(status == 0 && output.contains(#""ok":true"#), "\(output)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a socket_mode that lets others in, for a socket in a directory that keeps them out, is warned of; in an open one it is not",
          .enabled(if: canSwitchUser))
    func socketInClosedDirectory() throws {
        let closed = try DaemonProcess(directory: try DaemonProcess.makeTemporaryDirectory(),
                                       arguments: ["--socket-mode", "0666"])
        let (status, output) = try Self.request(#"{"command":"status"}"#, socket: closed.controlSocket)
        #expect(status != 0 && output.contains("Permission denied"), "\(output)")
        #expect(try closed.stop() == 0)
        #expect(closed.log.contains("socket_mode lets others connect to \(closed.controlSocket), but its directory"), "\(closed.log)")
        let open = try Self.openDaemon(["--socket-mode", "0666"])
        #expect(try Self.request(#"{"command":"status"}"#, socket: open.controlSocket).status == 0)
        #expect(try open.stop() == 0)
        #expect(!open.log.contains("socket_mode lets others"), "\(open.log)")
    }

    @Test("flush, reload, forget, backup and reset-source are refused to a peer not root and not in ops_group; queries are for anyone",
          .enabled(if: canSwitchUser))
    func privilegedCommandsNeedRootOrOpsGroup() throws {
        let daemon = try Self.openDaemon(["--socket-mode", "0666"])
        let backup = daemon.directory + "/backup.db"
        for request in [#""flush""#, #""reload""#, #""forget""#, #""backup","query":{"path":"\#(backup)","filter":{}}"#,
                        #""reset-source","query":{"id":"k","filter":{}}"#] {
            let answer = try Self.control(#"{"command":\#(request)}"#, daemon)
            #expect(answer["ok"] as? Bool == false)
            #expect(answer["error"] as? String == "permission_denied", "\(answer)")
        }
        for command in ["status", "metrics"] {
            #expect(try Self.control(#"{"command":"\#(command)"}"#, daemon)["ok"] as? Bool == true)
        }
        // Queries may fail for other reasons (nothing to show) but never for permission.
        for request in [#"{"command":"sources"}"#, #"{"command":"top"}"#, #"{"command":"share","query":{"id":"t"}}"#] {
            #expect(try Self.control(request, daemon)["error"] as? String != "permission_denied", "\(request)")
        }
        // Ingest is for whoever can open its socket.
        let (_, output) = try Self.request(#"{"type":"click","share":"t"}"#, socket: daemon.ingestSocket)
        #expect(output == #"{"ok":true}"# + "\n")
        #expect(!FileManager.default.fileExists(atPath: backup))
        // Root always may.
        #expect(try daemon.control(#"{"command":"flush"}"#)["ok"] as? Bool == true)
        #expect(try daemon.stop() == 0)
    }

    @Test("members of ops_group, by the group database or by primary group, may flush and reload",
          .enabled(if: canAddGroups))
    func opsGroupMembers() throws {
        let suffix = String(getpid())
        let members = "st-ops-\(suffix)", others = "st-other-\(suffix)"
        try #require(try runCommand("/usr/sbin/groupadd", ["-U", "nobody", members]).status == 0)
        defer { _ = try? runCommand("/usr/sbin/groupdel", [members]) }
        try #require(try runCommand("/usr/sbin/groupadd", [others]).status == 0)
        defer { _ = try? runCommand("/usr/sbin/groupdel", [others]) }

        let daemon = try Self.openDaemon(["--socket-mode", "0666"], config: "ops_group: \(members)\n")
        // nobody is a member in /etc/group (the client runs with no supplementary groups at all).
        #expect(try Self.control(#"{"command":"flush"}"#, daemon)["ok"] as? Bool == true)
        #expect(try Self.control(#"{"command":"reload"}"#, daemon)["ok"] as? Bool == true)

        // Another group, of which nobody is not a member: refused, unless it is the peer's primary group.
        try "ops_group: \(others)\n".write(toFile: daemon.directory + "/sharetrackd.yaml", atomically: true, encoding: .utf8)
        #expect(try daemon.control(#"{"command":"reload"}"#)["ok"] as? Bool == true)
        #expect(try Self.control(#"{"command":"flush"}"#, daemon)["error"] as? String == "permission_denied")
        #expect(try Self.control(#"{"command":"flush"}"#, daemon, group: others)["ok"] as? Bool == true)

        // A group that does not exist lets only root in.
        try "ops_group: st-missing-\(suffix)\n".write(toFile: daemon.directory + "/sharetrackd.yaml", atomically: true,
                                                    encoding: .utf8)
        #expect(try daemon.control(#"{"command":"reload"}"#)["ok"] as? Bool == true)
        #expect(try Self.control(#"{"command":"flush"}"#, daemon, group: others)["error"] as? String == "permission_denied")
        #expect(try daemon.control(#"{"command":"flush"}"#)["ok"] as? Bool == true)
        #expect(try daemon.stop() == 0)
    }

    @Test("no request names a file the daemon opens or a command it runs")
    func noPathsNoCommands() throws {
        let daemon = try Self.openDaemon()
        let marker = daemon.directory + "/pwned"
        let evil = daemon.directory + "/evil.yaml"
        try "ack: receive\ndatabase: \(daemon.directory)/other.db\n".write(toFile: evil, atomically: true, encoding: .utf8)

        // Control requests with extra fields that name files: ignored.
        for request in [
            #"{"command":"reload","config":"\#(evil)"}"#,
            #"{"command":"status","database":"\#(daemon.directory)/other.db","config":"\#(evil)"}"#,
            #"{"command":"share","query":{"id":"../../../../etc/passwd"}}"#,
            #"{"command":"advocate","query":{"id":"$(touch \#(marker))"}}"#,
            #"{"command":"metrics","path":"\#(marker)"}"#,
        ] {
            _ = try daemon.control(request)
        }
        let status = try daemon.status()
        #expect(status["ack"] as? String == "commit")
        #expect((status["database"] as? [String: Any])?["path"] as? String == daemon.database)
        // Ingest lines whose values look like paths or shell: counted as names, or refused.
        let client = try LineClient(path: daemon.ingestSocket)
        let answers = try client.exchange([
            #"{"type":"share","share":"t1","advocate":"$(touch \#(marker))","venue":"`touch \#(marker)`","network":"x","followers":1}"#,
            #"{"type":"share","share":"../../etc/passwd","advocate":"a","venue":"v","network":"x","followers":1}"#,
            #"{"type":"share","share":"t2","advocate":"a","venue":"v","network":"../x","followers":1}"#,
            #"{"type":"click","share":"t1","visitor":"\#(marker)","database":"\#(marker)"}"#,
        ])
        #expect(answers.map(IngestTests.outcome) == ["ok", answers[1], answers[2], "ok"])
        #expect(answers[1].contains("bad_field") && answers[2].contains("bad_field"))
        #expect(try daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/other.db"))
    }
}
