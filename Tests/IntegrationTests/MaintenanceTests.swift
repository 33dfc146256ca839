import Foundation
import Glibc
import ShareTrackStore
import Testing

/// `sharectl backup`, `sharectl reset-source` and the paged `sharectl sources`, against a real daemon.
@Suite("Maintenance commands")
struct MaintenanceTests {
    static func sharectl(_ daemon: DaemonProcess, _ arguments: [String]) throws -> SharectlTests.Run {
        try SharectlTests.sharectl(arguments + ["--socket", daemon.controlSocket])
    }

    static func click(_ share: String, source: String = "kiosk", seq: Int) -> String {
        #"{"type":"click","share":"\#(share)","source":"\#(source)","seq":\#(seq)}"#
    }

    @Test("backup: one self-contained file with every acknowledged line, usable with --db and as a database",
          arguments: ["commit", "receive"])
    func backup(ack: String) throws {
        let daemon = try DaemonProcess(arguments: ["--ack", ack, "--flush-interval", "30"])
        let client = try LineClient(path: daemon.ingestSocket)
        var lines = [#"{"type":"share","share":"b1","advocate":"ann","venue":"cafe","network":"x","followers":10}"#]
        lines += (1...50).map { Self.click("b1", seq: $0) }
        // With a 30 s flush interval, commit mode answers only once a flush (the backup's) commits.
        try client.send(lines: lines)
        let file = daemon.directory + "/backups/one.db"
        try FileManager.default.createDirectory(atPath: daemon.directory + "/backups", withIntermediateDirectories: true)
        // A file of the name a backup once wrote into first is somebody's: it stays.
        try "someone's".write(toFile: file + ".partial", atomically: false, encoding: .utf8)
        let backup = try Self.sharectl(daemon, ["backup", file, "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(try client.readLines(51).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.directory + "/backups").sorted()
                == ["one.db", "one.db.partial"])
        #expect(try String(contentsOfFile: file + ".partial", encoding: .utf8) == "someone's")

        let offline = try SharectlTests.sharectl(["share", "b1", "--db", file, "--json"])
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout.contains(#""clicks" : 50"#), "\(offline.stdout)")
        let database = try Database(path: file, mode: .readOnly)
        #expect(try database.prepare("PRAGMA integrity_check").rows { $0.string(0) } == ["ok"])
        #expect(try database.prepare("SELECT highest_seq FROM sources").rows { $0.int64(0) } == [50])

        // A second backup to the same file is refused; the first stays whole.
        let again = try Self.sharectl(daemon, ["backup", file])
        #expect(again.status != 0 && again.stderr.contains("exists already"), "\(again.stderr)")
        // So is one to a path where a database once was and left its log or journal: SQLite (and a
        // daemon started on the backup) would read them as part of it.
        let second = daemon.directory + "/backups/two.db"
        for leftover in ["-wal", "-journal", ".journal"] {
            try "stale".write(toFile: second + leftover, atomically: false, encoding: .utf8)
            let refused = try Self.sharectl(daemon, ["backup", second])
            #expect(refused.status != 0 && refused.stderr.contains(second + leftover + " exists"), "\(refused.stderr)")
            #expect(access(second, F_OK) != 0)
            unlink(second + leftover)
        }
        // A directory that is not there is named as the backup's, not as a database.
        let nowhere = try Self.sharectl(daemon, ["backup", daemon.directory + "/missing/b.db"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("cannot write the backup " + daemon.directory + "/missing/b.db")
                && nowhere.stderr.contains("No such file or directory"), "\(nowhere.stderr)")
        #expect(try daemon.stop() == 0)

        // Restored over the database after a clean stop (README), it holds every line, and their seqs.
        try FileManager.default.copyItem(atPath: file, toPath: daemon.database + ".new")
        #expect(rename(daemon.database + ".new", daemon.database) == 0)
        let restored = try DaemonProcess(directory: daemon.directory)
        let answers = try LineClient(path: restored.ingestSocket).exchange([Self.click("b1", seq: 50)])
        #expect(answers == [#"{"ok":true,"duplicate":true}"#])
        #expect(try restored.stop() == 0)

        // Restored elsewhere without its visitor key, it is usable, and the log says that every
        // visitor stored before counts as new under the new key (once: the key is recorded).
        let elsewhere = try DaemonProcess.makeTemporaryDirectory()
        try FileManager.default.copyItem(atPath: file, toPath: elsewhere + "/sharetrack.db")
        let keyless = try DaemonProcess(directory: elsewhere)
        #expect(try LineClient(path: keyless.ingestSocket).exchange([Self.click("b1", seq: 50)])
                == [#"{"ok":true,"duplicate":true}"#])
        #expect(try keyless.stop() == 0)
        #expect(keyless.log.contains("last ran with another visitor key") && keyless.log.contains("recorded_key="),
                "\(keyless.log)")
        let recorded = try DaemonProcess(directory: elsewhere)
        #expect(try recorded.stop() == 0)
        #expect(!recorded.log.contains("another key"), "\(recorded.log)")
    }

    @Test("a backup restored after a crash whose journal holds later batches: refused, saying what to move aside; moved, it starts as the backup")
    func restoreAfterACrash() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange((1...10).map { Self.click("c1", seq: $0) }).allSatisfy { $0 == #"{"ok":true}"# })
        let file = daemon.directory + "/backup.db"
        #expect(try Self.sharectl(daemon, ["backup", file]).status == 0)
        // A batch after the backup reaches the tables (the journal then lets it go), and later ones
        // stay in the journal: the database is locked when the daemon is killed.
        #expect(try client.exchange((11...20).map { Self.click("c1", seq: $0) }).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try Self.sharectl(daemon, ["flush"]).status == 0)
        let shell = try SQLiteShell(database: daemon.database)
        try shell.execute("BEGIN EXCLUSIVE;")
        #expect(try client.exchange((21...30).map { Self.click("c1", seq: $0) }).allSatisfy { $0 == #"{"ok":true}"# })
        _ = try daemon.stop(signal: SIGKILL)
        shell.quit()

        try FileManager.default.copyItem(atPath: file, toPath: daemon.database + ".new")
        #expect(rename(daemon.database + ".new", daemon.database) == 0)
        let refused = try DaemonProcess(directory: daemon.directory, waitForReady: false)
        #expect(try refused.waitForExit() != 0)
        let journal = daemon.database + ".journal"
        #expect(refused.log.contains("move \(journal) aside (with its -wal and -shm, where there)"), "\(refused.log)")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: journal + suffix) {
            #expect(rename(journal + suffix, daemon.directory + "/set-aside" + suffix) == 0)
        }
        let restored = try DaemonProcess(directory: daemon.directory)
        #expect(try LineClient(path: restored.ingestSocket).exchange([Self.click("c1", seq: 10), Self.click("c1", seq: 11)])
                == [#"{"ok":true,"duplicate":true}"#, #"{"ok":true}"#])
        #expect(try restored.stop() == 0)
        #expect(try restored.openDatabase().prepare("SELECT sum(clicks) FROM counters").rows { $0.int64(0) } == [11])
    }

    @Test("reset-source: a reinstalled kiosk starts again at 1; logged; a source never seen is an error")
    func resetSource() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange((1...5).map { Self.click("r1", seq: $0) }).allSatisfy { $0 == #"{"ok":true}"# })
        #expect(try client.exchange([Self.click("r1", seq: 1)]) == [#"{"ok":true,"duplicate":true}"#])

        let reset = try Self.sharectl(daemon, ["reset-source", "kiosk"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("highest seq 5 forgotten"), "\(reset.stdout)")
        #expect(eventually { daemon.log.contains("<5>source reset") }, "\(daemon.log)")
        #expect(try client.exchange([Self.click("r1", seq: 1)]) == [#"{"ok":true}"#])
        #expect(try client.exchange([Self.click("r1", seq: 1)]) == [#"{"ok":true,"duplicate":true}"#])

        let unknown = try Self.sharectl(daemon, ["reset-source", "never-seen"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no source 'never-seen'"), "\(unknown.stderr)")
        #expect(try daemon.stop() == 0)
        // The reset is durable: after a restart seq 1 is still the highest.
        let again = try DaemonProcess(directory: daemon.directory)
        #expect(try LineClient(path: again.ingestSocket).exchange([Self.click("r1", seq: 2)]) == [#"{"ok":true}"#])
        #expect(try again.stop() == 0)
    }

    @Test("sources: rejected lines without a valid seq make no producer, with one they do; one page, the most recently seen first")
    func sourcesPage() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        // A source without seq, or with a bad seq: rejected, and no producer.
        let rejected = (0..<300).map { #"{"type":"click","share":"s","source":"made-up-\#($0)"\#($0 % 2 == 0 ? "" : #","seq":0"#)}"# }
        #expect(try client.exchange(rejected).allSatisfy { $0.contains("missing_field") || $0.contains("bad_field") })
        var listed = try Self.sharectl(daemon, ["sources", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains("[\n\n]") || listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]",
                "\(listed.stdout)")
        // A kiosk whose first lines are refused (a bad field) is a producer, its rejections counted.
        let refused = #"{"type":"share","share":"k1","advocate":"ann","venue":"cafe","network":"X","followers":10,"source":"kiosk","seq":1}"#
        #expect(try client.exchange([refused])[0].contains("bad_field"))
        #expect(try client.exchange([Self.click("s", source: "kiosk", seq: 2)]) == [#"{"ok":true}"#])
        listed = try Self.sharectl(daemon, ["sources", "--json"])
        let kiosk = try #require((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(kiosk["source"] as? String == "kiosk" && kiosk["rejected"] as? Int == 1 && kiosk["accepted"] as? Int == 1, "\(kiosk)")

        // Three distinct last-seen seconds, fifty producers each.
        for second in 0..<3 {
            if second > 0 { usleep(1_100_000) }
            let clicks = (second * 50..<second * 50 + 50).map { Self.click("s", source: "p\($0)", seq: 1) }
            #expect(try client.exchange(clicks) == Array(repeating: #"{"ok":true}"#, count: 50))
        }
        listed = try Self.sharectl(daemon, ["sources", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 100)
        #expect(Set(rows.prefix(50).compactMap { $0["source"] as? String }) == Set((100..<150).map { "p\($0)" }))
        listed = try Self.sharectl(daemon, ["sources", "--limit", "3"])
        #expect(listed.stdout.contains("the 3 producers seen most recently"), "\(listed.stdout)")
        #expect(try daemon.stop() == 0)
    }
}
