import Foundation
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
}
