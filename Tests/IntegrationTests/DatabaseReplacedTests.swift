import Foundation
import Glibc
import Testing

/// The database removed or replaced under a running daemon: it stops acknowledging, says so, and
/// exits non-zero; the next start refuses a `-wal` that does not belong to the database.
@Suite("Database replaced")
struct DatabaseReplacedTests {
    static func click(_ index: Int) -> String { #"{"type":"click","share":"r\#(index)","source":"k","seq":\#(index)}"# }

    /// A daemon (flushing every 0.2 s) that has acknowledged 20 lines.
    static func busyDaemon() throws -> (DaemonProcess, LineClient) {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange((1...20).map(click)) == Array(repeating: #"{"ok":true}"#, count: 20))
        return (daemon, client)
    }

    /// After the replacement nothing more is acknowledged, the log says why, and the daemon exits 1.
    static func expectHalt(_ daemon: DaemonProcess, _ client: LineClient, saying words: String) throws {
        let answer = try? client.exchange([click(21)]).first
        #expect(answer != #"{"ok":true}"#, "acknowledged after the database was \(words)")
        #expect(try daemon.waitForExit(timeout: 20) == 1)
        #expect(daemon.log.contains("<2>") && daemon.log.contains(words), "\(daemon.log)")
    }

    @Test("rm of the database: no more acks, a critical log line, exit 1; the next start refuses the orphan -wal")
    func removed() throws {
        let (daemon, client) = try Self.busyDaemon()
        #expect(unlink(daemon.database) == 0)
        try Self.expectHalt(daemon, client, saying: "was removed")

        let restart = try DaemonProcess(directory: daemon.directory, waitForReady: false)
        #expect(try restart.waitForExit() != 0)
        #expect(restart.log.contains("the database file is missing"), "\(restart.log)")
    }

    @Test("rm of the journal while the database is locked: exit 1, and what was acknowledged but not applied is in a journal made anew, which the next start applies")
    func journalRemovedWhileLocked() throws {
        let (daemon, client) = try Self.busyDaemon()
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        #expect(try client.exchange((21...520).map(Self.click)).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(unlink(daemon.database + ".journal") == 0)
        #expect(try daemon.waitForExit(timeout: 20) == 1)
        #expect(daemon.log.contains("in a journal made anew"), "\(daemon.log)")
        try shell.execute("ROLLBACK;")
        shell.quit()

        let restart = try DaemonProcess(directory: daemon.directory)
        #expect(try restart.stop() == 0)
        let clicks = try restart.openDatabase().prepare("SELECT sum(clicks), count(DISTINCT token) FROM counters")
        #expect(try clicks.step() && clicks.int64(0) == 520 && clicks.int64(1) == 520)
    }

    @Test("an older copy moved over the database: no more acks, exit 1; the next start refuses the -wal")
    func replaced() throws {
        let (daemon, client) = try Self.busyDaemon()
        let copy = daemon.directory + "/older.db"
        try FileManager.default.copyItem(atPath: daemon.database, toPath: copy)
        #expect(try client.exchange((22...30).map(Self.click)).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(rename(copy, daemon.database) == 0)
        try Self.expectHalt(daemon, client, saying: "was replaced")

        let restart = try DaemonProcess(directory: daemon.directory, waitForReady: false)
        #expect(try restart.waitForExit() != 0)
        #expect(restart.log.contains("-wal was written for another file"), "\(restart.log)")
    }
}
