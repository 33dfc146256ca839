import Foundation
import Glibc
import ShareTrackStore
import Testing

/// One daemon per database, and a daemon never takes or removes another's socket files.
@Suite("One daemon per database")
struct SingleDaemonTests {
    /// `status` of the daemon behind `socket`.
    static func status(_ socket: String) throws -> [String: Any] {
        let client = try LineClient(path: socket)
        let response = try LineClient.decode(try #require(try client.exchange([#"{"command":"status"}"#]).first))
        return try #require(response["result"] as? [String: Any])
    }

    @Test("a second daemon on the same database refuses to start, names the first one's pid, and leaves it serving")
    func secondDaemonRefused() throws {
        let first = try DaemonProcess()
        let pid = first.process.processIdentifier
        let sameEverything = try DaemonProcess(directory: first.directory, waitForReady: false)
        #expect(try sameEverything.waitForExit() != 0)
        #expect(sameEverything.log.contains("pid \(pid)"), "\(sameEverything.log)")
        let otherSockets = try DaemonProcess(directory: first.directory, arguments: [
            "--ingest-socket", first.directory + "/second-ingest.sock",
            "--control-socket", first.directory + "/second-control.sock",
        ], waitForReady: false)
        #expect(try otherSockets.waitForExit() != 0)
        #expect(otherSockets.log.contains("pid \(pid)"), "\(otherSockets.log)")
        #expect(!FileManager.default.fileExists(atPath: first.directory + "/second-ingest.sock"))
        // Through a symbolic link to the database file: refused, since the lock, the journal and
        // the key would be looked for beside the link.
        let link = first.directory + "/link.db"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: first.database)
        let throughLink = try DaemonProcess(directory: first.directory, arguments: [
            "--database", link, "--ingest-socket", first.directory + "/third-ingest.sock",
            "--control-socket", first.directory + "/third-control.sock",
        ], waitForReady: false)
        #expect(try throughLink.waitForExit() != 0)
        #expect(throughLink.log.contains("it is a symbolic link"), "\(throughLink.log)")
        #expect(!FileManager.default.fileExists(atPath: link + ".journal"))

        // The first one still has its sockets and counts.
        #expect(try Self.status(first.controlSocket)["pid"] as? Int == Int(pid))
        let client = try LineClient(path: first.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"s1"}"#]) == [#"{"ok":true}"#])
        // sharectl --db, which only reads, follows the link to the database and its journal.
        let offline = try SharectlTests.sharectl(["share", "s1", "--db", link, "--json"])
        #expect(offline.status == 0 && offline.stdout.contains(#""orphan_clicks" : 1"#), "\(offline.stdout)\(offline.stderr)")
        #expect(try first.stop() == 0)
        // Once it is gone, a new one starts on the same database.
        let next = try DaemonProcess(directory: first.directory)
        #expect(try next.stop() == 0)
    }

    @Test("a socket path another process listens on is refused before the database is migrated (a daemon of a version without the lock may run on it)")
    func listenedSocketRefusedBeforeMigrating() throws {
        let old = try DaemonProcess()
        #expect(try old.stop() == 0)
        try Database(path: old.database, mode: .readWrite).execute("PRAGMA user_version = 19")
        // Something listens on its ingest socket, as a daemon of the first release would, with no lock.
        _ = try LineListener(path: old.ingestSocket)
        let start = try DaemonProcess(directory: old.directory, waitForReady: false)
        #expect(try start.waitForExit() != 0)
        #expect(start.log.contains("another process is listening on it") && !start.log.contains("migrating"), "\(start.log)")
        let version = try Database(path: old.database, mode: .readOnly).prepare("PRAGMA user_version")
        #expect(try version.rows { $0.int64(0) } == [19])
    }

    @Test("a socket path whose listener is wedged, its queue full, is refused at once, not waited on")
    func wedgedListenerRefused() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let path = directory + "/ingest.sock"
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        func connectTo(_ fd: Int32) -> Int32 {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(listener, 0) == 0)
        // Never accepting: fill its queue until a connection would wait.
        var queued: [Int32] = []
        defer { (queued + [listener]).forEach { close($0) } }
        while queued.count < 10_000 {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            queued.append(fd)
            if connectTo(fd) != 0 { break }
        }
        #expect(errno == EAGAIN)
        let start = try DaemonProcess(directory: directory, waitForReady: false)
        #expect(try start.waitForExit(timeout: 20) != 0)
        #expect(start.log.contains("cannot tell whether it is in use"), "\(start.log)")
    }

    @Test("a daemon on another database refuses a socket path another daemon listens on")
    func liveSocketRefused() throws {
        let first = try DaemonProcess()
        let other = try DaemonProcess.makeTemporaryDirectory()
        let second = try DaemonProcess(directory: other, arguments: ["--ingest-socket", first.ingestSocket],
                                       waitForReady: false)
        #expect(try second.waitForExit() != 0)
        #expect(second.log.contains(first.ingestSocket) && second.log.contains("listening"), "\(second.log)")
        #expect(try Self.status(first.controlSocket)["pid"] as? Int == Int(first.process.processIdentifier))
        #expect(try LineClient(path: first.ingestSocket).exchange([#"{"type":"click","share":"s1"}"#]) == [#"{"ok":true}"#])
        #expect(try first.stop() == 0)
    }

    @Test("on exit a daemon removes only the socket files it created, not ones put in their place")
    func foreignSocketKept() throws {
        let first = try DaemonProcess()
        // Another daemon, on its own database, now has sockets at the first one's paths.
        for path in [first.ingestSocket, first.controlSocket] { #expect(rename(path, path + ".moved") == 0) }
        let second = try DaemonProcess(directory: try DaemonProcess.makeTemporaryDirectory(), arguments: [
            "--ingest-socket", first.ingestSocket, "--control-socket", first.controlSocket,
        ], waitForReady: false)
        #expect(eventually { (try? Self.status(first.controlSocket)) != nil }, "\(second.log)")
        #expect(try first.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: first.ingestSocket))
        #expect(FileManager.default.fileExists(atPath: first.controlSocket))
        #expect(try Self.status(first.controlSocket)["pid"] as? Int == Int(second.process.processIdentifier))
        #expect(try second.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: first.ingestSocket))
    }
}
