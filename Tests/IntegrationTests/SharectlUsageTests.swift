import Foundation
import Glibc
import Testing

/// `sharectl` as people type it: typos, bad values, conflicting options, wide tables.
@Suite("sharectl usage", .serialized)
struct SharectlUsageTests {
    @Test("a mistyped command or help topic: the nearest command, exit 64", arguments: [
        (["stauts"], "did you mean 'status'?"),
        (["stauts", "--socket", "/x"], "did you mean 'status'?"),
        (["help", "stauts"], "did you mean 'status'?"),
        (["advocat", "ann"], "did you mean 'advocate'?"),
        (["snd"], "did you mean 'send'?"),
        (["frobnicate"], "the commands are status, top"),
    ])
    func typos(arguments: [String], expected: String) throws {
        let run = try SharectlTests.sharectl(arguments)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }

    @Test("help for a real command still works")
    func help() throws {
        let run = try SharectlTests.sharectl(["help", "status"])
        #expect(run.status == 0 && run.stdout.contains("USAGE: sharectl status"), "\(run.stdout)")
    }

    @Test("a bad value says what is wrong with it", arguments: [
        (["top", "--limit", "-1"], "at least 1"),
        (["top", "--limit", "ten"], "at least 1"),
        (["sources", "--limit", "-1"], "at least 1"),
        (["top", "--since", "yesterday"], "RFC 3339"),
        (["sources", "--silent-after", "-5m"], "a duration"),
        (["top", "--by", "likes"], "unique_clicks"),
    ])
    func badValues(arguments: [String], expected: String) throws {
        let run = try SharectlTests.sharectl(arguments + ["--socket", "/nonexistent/control.sock"])
        #expect(run.status == 64)
        #expect(run.stderr.contains(expected) && !run.stderr.contains("Missing value"), "\(run.stderr)")
    }

    @Test("a mistyped connection string in --db is refused without being repeated (it may hold a password)", arguments: [
        "postgresq://st:Zq8Xw3secret@db.example.com/st", "PostgreSQL://st:Zq8Xw3secret@db/st", " postgresql://st:Zq8Xw3secret@db/st",
        "postgresql:st:Zq8Xw3secret@db/st", "password Zq8Xw3secret",
    ])
    func mistypedConnectionString(database: String) throws {
        for command in [["top"], ["export"], ["report", "--output", "/nonexistent/r.html"]] {
            let run = try SharectlTests.sharectl(command + ["--db", database])
            #expect(run.status == 64 && run.stderr.contains("not a connection string sharectl reads"), "\(run.stderr)")
            #expect(!run.stderr.contains("Zq8Xw3secret"), "\(run.stderr)")
        }
    }

    @Test("--db naming a file whose name has what connection strings have ('=', '@') reads the file")
    func databaseFileNamedLikeAConnectionString() throws {
        let daemon = try SharectlTests.populatedDaemon()
        #expect(try daemon.stop() == 0)
        for name in ["password=x.db", "ann@cafe.db"] {
            let path = daemon.directory + "/" + name
            try FileManager.default.copyItem(atPath: daemon.database, toPath: path)
            let run = try SharectlTests.sharectl(["top", "--json", "--db", path])
            #expect(run.status == 0 && run.stdout.contains("\"advocate\""), "\(name): \(run.stderr)")
        }
    }

    @Test("--db with --socket is an error, not a silent choice")
    func databaseAndSocket() throws {
        let run = try SharectlTests.sharectl(["top", "--db", "/nonexistent.db", "--socket", "/nonexistent.sock"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--db and --socket"), "\(run.stderr)")
    }

    @Test("the common options may come before the command, as with systemctl")
    func leadingOptions() throws {
        let daemon = try SharectlTests.populatedDaemon()
        let after = try SharectlTests.sharectl(["advocate", "ann", "--json", "--socket", daemon.controlSocket])
        let before = try SharectlTests.sharectl(["--socket", daemon.controlSocket, "--json", "advocate", "ann"])
        let joined = try SharectlTests.sharectl(["--socket=\(daemon.controlSocket)", "advocate", "ann", "--json"])
        #expect(after.status == 0 && after.stdout.contains("\"advocate\""), "\(after.stderr)")
        #expect(before.status == 0 && before.stdout == after.stdout, "\(before.stderr)")
        #expect(joined.status == 0 && joined.stdout == after.stdout, "\(joined.stderr)")
        #expect(try daemon.stop() == 0)
    }

    @Test("tables fit 100 columns and say what they hid; --wide shows every column")
    func wideTables() throws {
        let daemon = try SharectlTests.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        let narrow = try SharectlTests.sharectl(["advocate", "ann"] + socket)
        #expect(narrow.status == 0)
        let lines = narrow.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(narrow.stdout)")
        #expect(narrow.stdout.contains("hidden to fit 100 columns; --wide shows them"))
        let wide = try SharectlTests.sharectl(["advocate", "ann", "--wide"] + socket)
        let header = try #require(wide.stdout.split(separator: "\n").first { $0.hasPrefix("SHARE ") })
        #expect(header.split(separator: " ", omittingEmptySubsequences: true).count == 15, "\(header)")
        #expect(!wide.stdout.contains("hidden"))
        #expect(try daemon.stop() == 0)
    }

    @Test("a table that cannot fit 100 columns even without its optional columns (a 128-character id) hides none")
    func longIdTable() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let venue = String(repeating: "v", count: 128)
        let share = #"{"type":"share","share":"s1","advocate":"ann","venue":"\#(venue)","network":"x","followers":10}"#
        #expect(try LineClient(path: daemon.ingestSocket).exchange([share]) == [#"{"ok":true}"#])
        let run = try SharectlTests.sharectl(["venues", "--socket", daemon.controlSocket])
        let header = try #require(run.stdout.split(separator: "\n").first, "\(run.stderr)")
        #expect(["SHARES", "REACH", "BOT", "CONV", "VALUE"].allSatisfy(header.contains), "\(header)")
        #expect(run.stdout.contains(venue) && !run.stdout.contains("hidden"), "\(run.stdout)")
        #expect(try daemon.stop() == 0)
    }

    @Test("wide characters (CJK, emoji) take two terminal columns each: their rows line up with the header")
    func wideCharacters() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let venues = ["漢字の店", "😀😀 bar", "cafe\u{301}"]
        let shares = venues.enumerated().map { index, venue in
            #"{"type":"share","share":"w\#(index)","advocate":"ann","venue":"\#(venue)","network":"x","followers":10}"#
        }
        #expect(try LineClient(path: daemon.ingestSocket).exchange(shares).allSatisfy { $0 == #"{"ok":true}"# })
        let run = try SharectlTests.sharectl(["venues", "--wide", "--socket", daemon.controlSocket])
        // Counted by hand: an ideograph, kana or emoji is two columns, the rest one each.
        let columns = { (line: Substring) in
            line.reduce(0) { $0 + ($1.unicodeScalars.first!.value >= 0x3000 ? 2 : 1) }
        }
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 4 && Set(lines.map(columns)).count == 1, "\(run.stdout)")
        #expect(try daemon.stop() == 0)
    }

    @Test("sources --check exits 1 when a producer is silent, 0 when none is")
    func sourcesCheck() throws {
        let daemon = try SharectlTests.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        sleep(2)
        let silent = try SharectlTests.sharectl(["sources", "--check", "--silent-after", "1s"] + socket)
        #expect(silent.status == 1 && silent.stdout.contains("SILENT"))
        #expect(silent.stderr.contains("1 of 1 silent for more than 1s"), "\(silent.stderr)")
        #expect(try SharectlTests.sharectl(["sources", "--silent-after", "1s"] + socket).status == 0)
        #expect(try SharectlTests.sharectl(["sources", "--check", "--silent-after", "1h"] + socket).status == 0)
        // A plain number is seconds, as in the configuration.
        #expect(try SharectlTests.sharectl(["sources", "--check", "--silent-after", "1"] + socket).status == 1)
        #expect(try SharectlTests.sharectl(["sources", "--check", "--silent-after", "3600"] + socket).status == 0)
        #expect(try daemon.stop() == 0)
    }
}
