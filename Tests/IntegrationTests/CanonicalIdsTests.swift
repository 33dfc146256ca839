import Foundation
import ShareTrackStore
import Testing

/// Ids in two Unicode spellings of one text (NFC `é`, NFD `e` + U+0301) are one id: stored in
/// NFC, found by either spelling, live and from the file (docs/protocol.md).
@Suite("Canonical ids", .serialized)
struct CanonicalIdsTests {
    static let composed = "caf\u{E9}", decomposed = "cafe\u{301}"

    @Test("an advocate, a venue and a source sent in two spellings are one each, found by either")
    func twoSpellingsAreOneId() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        let share = { (token: String, spelling: String, seq: Int) in
            #"{"type":"share","share":"\#(token)","advocate":"\#(spelling)","venue":"v-\#(spelling)","network":"x","#
                + #""followers":100,"source":"k-\#(spelling)","seq":\#(seq)}"#
        }
        #expect(try client.exchange([share("u1", Self.composed, 5), share("u2", Self.decomposed, 6),
                                     share("u3", Self.decomposed, 3)])
            == [#"{"ok":true}"#, #"{"ok":true}"#, #"{"ok":true,"duplicate":true}"#])
        var answers: [String] = []
        for spelling in [Self.composed, Self.decomposed] {
            let socket = ["--json", "--socket", daemon.controlSocket]
            let advocate = try #require(try SharectlTests.sharectl(["advocate", spelling] + socket).json as? [String: Any])
            let totals = try #require(advocate["totals"] as? [String: Any])
            #expect(advocate["advocate"] as? String == Self.composed && totals["shares"] as? Int == 2, "\(advocate)")
            let top = try #require(try SharectlTests.sharectl(["top", "--venue", "v-" + spelling] + socket).json as? [[String: Any]])
            #expect(top.count == 1 && top.first?["advocate"] as? String == Self.composed && top.first?["shares"] as? Int == 2)
            answers.append(try SharectlTests.sharectl(["advocate", spelling] + socket).stdout)
        }
        let sources = try #require(try SharectlTests.sharectl(["sources", "--json", "--socket", daemon.controlSocket]).json
            as? [[String: Any]])
        #expect(sources.map { $0["source"] as? String } == ["k-" + Self.composed] && sources.first?["last_seq"] as? Int == 6)
        #expect(try daemon.stop() == 0)

        let database = try daemon.openDatabase()
        let advocates = try database.prepare("SELECT DISTINCT hex(advocate) FROM shares").rows { $0.string(0) }
        #expect(advocates == [Data(Self.composed.utf8).map { String(format: "%02X", $0) }.joined()])
        for (spelling, live) in zip([Self.composed, Self.decomposed], answers) {
            let offline = try SharectlTests.sharectl(["advocate", spelling, "--json", "--db", daemon.database])
            #expect(offline.stdout == live, "offline: \(offline.stderr)")
        }
    }

    @Test("a database stored before ids were kept in NFC: its ids are put in NFC at the upgrade, so a source's seqs stay counted and an advocate's shares are one")
    func upgradedDatabase() throws {
        let first = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let hour = Int64(Date().timeIntervalSince1970) / 3600 - 2
        #expect(try first.stop() == 0)
        // What a daemon of before 2026-12-05 stored: the ids as they were sent (two spellings of one
        // source among them), at schema version 19.
        do {
            let old = try Database(path: first.database, mode: .readWrite)
            try old.execute("""
                INSERT INTO shares VALUES ('old1', 'ren\(Self.decomposed)', 'v-\(Self.decomposed)', NULL, 'x', 100, 'nano', \(hour * 3600));
                INSERT INTO counters (token, hour, shares, reach, clicks, unique_clicks) VALUES ('old1', \(hour), 1, 100, 3, 2);
                INSERT INTO sources VALUES ('k-\(Self.decomposed)', 30, \(hour * 3600), 30, 1, 0, 0);
                INSERT INTO sources VALUES ('k-\(Self.composed)', 12, \(hour * 3600 - 60), 12, 0, 2, 0);
                PRAGMA user_version = 19;
                """)
        }
        let daemon = try DaemonProcess(directory: first.directory, arguments: ["--flush-interval", "0.2"])
        let line = { (token: String, seq: Int) in
            #"{"type":"share","share":"\#(token)","advocate":"ren\#(Self.composed)","venue":"v-\#(Self.composed)","#
                + #""network":"x","followers":100,"source":"k-\#(Self.decomposed)","seq":\#(seq)}"#
        }
        // Seqs at or below the greater of the two spellings' are duplicates; the next is new.
        #expect(try LineClient(path: daemon.ingestSocket).exchange([line("new1", 12), line("new2", 30), line("new3", 31)])
            == [#"{"ok":true,"duplicate":true}"#, #"{"ok":true,"duplicate":true}"#, #"{"ok":true}"#])
        let socket = ["--json", "--socket", daemon.controlSocket]
        let sources = try #require(try SharectlTests.sharectl(["sources"] + socket).json as? [[String: Any]])
        #expect(sources.map { $0["source"] as? String } == ["k-" + Self.composed], "\(sources)")
        // The greater of the two rows' counts (both are one producer's running totals), and the new line.
        #expect(sources.first?["last_seq"] as? Int == 31 && sources.first?["accepted"] as? Int == 31, "\(sources)")
        #expect(try eventually {
            let top = try #require(try SharectlTests.sharectl(["top", "--venue", "v-" + Self.decomposed] + socket).json
                as? [[String: Any]])
            return top.count == 1 && top.first?["advocate"] as? String == "ren" + Self.composed
                && top.first?["shares"] as? Int == 2 && top.first?["clicks"] as? Int == 3
        })
        #expect(try daemon.stop() == 0)
        let database = try daemon.openDatabase()
        #expect(try database.prepare("SELECT count(*) FROM shares WHERE advocate = 'ren\(Self.composed)'").rows { $0.int64(0) } == [2])
        // The rollups and their groups made again as a new database has them.
        let fresh = try DaemonProcess()
        #expect(try fresh.stop() == 0)
        let schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        #expect(try database.prepare(schema).rows { "\($0.string(0) ?? "") \($0.string(1) ?? "") \($0.string(2) ?? "")" }
            == fresh.openDatabase().prepare(schema).rows { "\($0.string(0) ?? "") \($0.string(1) ?? "") \($0.string(2) ?? "")" })
    }
}
