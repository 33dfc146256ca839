import Foundation
import Glibc
import Testing

/// `make install` into a staging root, as a package build does, and the installed service's
/// view of it: its config file read as its own user, not as root.
@Suite("make install", .serialized,
       .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                "runs the daemon as the service user: needs root and setpriv, as AccessTests do"))
struct InstallTests {
    /// The package directory (this file is Tests/IntegrationTests/InstallTests.swift).
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs `arguments` to the end; its exit status and everything it printed.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String]? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitForTermination(timeout: 600)
        return (process.terminationStatus, text)
    }

    /// A field of the staging root's `/etc/passwd` or `/etc/group` line for `name`.
    static func id(in file: String, of name: String) throws -> UInt32 {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(name + ":") })
        return try #require(UInt32(line.split(separator: ":", omittingEmptySubsequences: false)[2]))
    }

    @Test("binaries, man pages, completions, units and a config file the service user can read")
    func installedLayout() throws {
        // The build is the tests' own (SwiftPM's lock on .build is held while they run), and so are
        // the man pages, which `make test` makes before it runs them.
        let manuals = Self.package + "/.build/plugins/GenerateManual/outputs"
        try #require(FileManager.default.fileExists(atPath: manuals + "/sharectl/sharectl.1"),
                     "no man pages in \(manuals): run `make manuals CONFIGURATION=debug` (make test does) first")
        let root = try DaemonProcess.makeTemporaryDirectory()
        chmod(root, 0o755)
        let (status, output) = try Self.run("/usr/bin/make", [
            "install", "DESTDIR=\(root)", "PREFIX=/usr", "CONFIGURATION=debug", "SWIFT=true",
        ], in: Self.package)
        try #require(status == 0, "\(output)")

        var info = stat()
        for binary in ["sharetrackd", "sharectl"] {
            #expect(stat(root + "/usr/bin/" + binary, &info) == 0 && info.st_mode & 0o777 == 0o755, "\(binary)")
        }
        for page in ["sharetrackd", "sharectl"] {
            let text = try String(contentsOfFile: root + "/usr/share/man/man1/\(page).1", encoding: .utf8)
            #expect(text.contains(".Dt \(page.uppercased()) 1"), "\(page).1 is not a man page: \(text.prefix(200))")
        }
        #expect(try String(contentsOfFile: root + "/usr/share/man/man1/sharectl.1", encoding: .utf8).contains("send"))
        for completion in ["bash-completion/completions/sharectl", "zsh/site-functions/_sharectl",
                           "fish/vendor_completions.d/sharectl.fish"] {
            let text = try String(contentsOfFile: root + "/usr/share/" + completion, encoding: .utf8)
            #expect(text.contains("status") && text.contains("ingest-socket"), "\(completion)")
        }
        let config = root + "/etc/sharetrack/sharetrackd.yaml"
        #expect(stat(config, &info) == 0 && info.st_mode & 0o777 == 0o640 && info.st_uid == 0)

        // What `make install` does on a live system, and the boot does for a package: the user and
        // group from sysusers.d, then tmpfiles.d, which hands the config file to the group.
        #expect(try Self.run("/usr/bin/systemd-sysusers", ["--root=\(root)"]).0 == 0)
        #expect(try Self.run("/usr/bin/systemd-tmpfiles", ["--root=\(root)", "--create"]).0 == 0)
        let uid = try Self.id(in: root + "/etc/passwd", of: "sharetrack")
        let gid = try Self.id(in: root + "/etc/group", of: "sharetrack")
        #expect(stat(config, &info) == 0 && info.st_mode & 0o777 == 0o640 && info.st_uid == 0 && info.st_gid == gid)

        // The service's user starts the installed daemon on that config.
        #expect(try Self.start(root: root, uid: uid, gid: gid) == 0)
        // The check can fail: the file as root:root 0640 stops the start (EX_CONFIG).
        chown(config, 0, 0)
        #expect(try Self.start(root: root, uid: uid, gid: gid) == 78)
    }

    /// Starts the installed daemon as `uid`:`gid` with the installed config; waits until it
    /// listens and stops it (exit status 0), or returns the status it failed with.
    static func start(root: String, uid: UInt32, gid: UInt32) throws -> Int32? {
        let state = try DaemonProcess.makeTemporaryDirectory()
        chown(state, uid, gid)
        let daemon = try SpawnedProcess("/usr/bin/setpriv", [
            "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", root + "/usr/bin/sharetrackd",
            "--config", root + "/etc/sharetrack/sharetrackd.yaml", "--database", state + "/sharetrack.db",
            "--ingest-socket", state + "/ingest.sock", "--control-socket", state + "/control.sock",
        ], environment: ["PATH": "/usr/bin:/bin"], log: state + "/log")
        let log = { (try? String(contentsOfFile: state + "/log", encoding: .utf8)) ?? "" }
        let listening = eventually { daemon.isRunning == false || (try? LineClient(path: state + "/ingest.sock")) != nil }
        guard listening, daemon.isRunning else {
            let status = daemon.waitForExit()
            #expect(log().contains("sharetrackd.yaml"), "\(log())")
            return status
        }
        kill(daemon.pid, SIGTERM)
        let status = daemon.waitForExit()
        #expect(status == 0, "\(log())")
        return status
    }
}
