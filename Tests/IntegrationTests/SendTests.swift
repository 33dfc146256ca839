import Foundation
import Glibc
import Testing

/// `sharectl send`: events from a file or stdin to the ingest socket, every answer waited for.
@Suite("sharectl send", .serialized)
struct SendTests {
    static let share = #"{"type":"share","share":"k7Qx2","advocate":"ann","venue":"cafe-12","network":"instagram","followers":840}"#
    static let click = #"{"type":"click","share":"k7Qx2","visitor":"v1"}"#
    static let unknownType = #"{"type":"like","share":"a"}"#
    static let missingShare = #"{"type":"click"}"#
    /// Marked a real event by its own `test`, and a number Foundation's JSON parser refuses.
    static let realClick = #"{"type":"click","share":"k7Qx2","test":false,"x":1e400}"#

    @Test("answers in order, empty lines skipped; --quiet prints only rejected lines with their line numbers; exit 1 if any")
    func answersAndLineNumbers() throws {
        let daemon = try DaemonProcess()
        let file = daemon.directory + "/events.ndjson"
        try [Self.share, "", Self.click, Self.unknownType, Self.share, Self.missingShare].joined(separator: "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let socket = ["--ingest-socket", daemon.ingestSocket]

        let all = try SharectlTests.sharectl(["send", file] + socket)
        #expect(all.status == 1)
        let answers = all.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == 5, "\(all.stdout)")
        #expect(answers.first == #"{"ok":true}"# && answers[1] == #"{"ok":true}"#)
        #expect(answers[2].contains(#""error":"unknown_type""#) && answers[3] == #"{"ok":true,"duplicate":true}"#)
        #expect(answers[4].contains(#""error":"missing_field""#))
        #expect(all.stderr.contains("2 of 5 lines rejected"), "\(all.stderr)")

        let quiet = try SharectlTests.sharectl(["send", "--quiet"] + socket,
                                               input: try String(contentsOfFile: file, encoding: .utf8))
        #expect(quiet.status == 1)
        let lines = quiet.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("line 4: {") && lines[1].hasPrefix("line 6: {"), "\(quiet.stdout)")

        // The control socket's --socket, which every command takes, is taken here too, before or after.
        for arguments in [["send", "-", "--socket", daemon.controlSocket], ["--socket", daemon.controlSocket, "send", "-"]] {
            let good = try SharectlTests.sharectl(arguments + socket, input: Self.click + "\n")
            #expect(good.status == 0 && good.stdout == "{\"ok\":true}\n" && good.stderr.isEmpty, "\(good.stderr)")
        }
        let status = try SingleDaemonTests.status(daemon.controlSocket)
        let totals = try #require(status["totals"] as? [String: Any])
        #expect(totals["accepted"] as? Int == 5 && totals["rejected"] as? Int == 4 && totals["duplicates"] as? Int == 3)

        // --json: one document once every line is answered (the shares are duplicates by now).
        let json = try SharectlTests.sharectl(["send", "--json", file] + socket)
        #expect(json.status == 1 && json.stderr.contains("2 of 5 lines rejected"), "\(json.stderr)")
        let document = try #require(json.json as? [String: Any], "\(json.stdout)")
        #expect(document["sent"] as? Int == 5 && document["accepted"] as? Int == 1 && document["duplicates"] as? Int == 2
                && document["test"] as? Int == 0 && document["unanswered"] as? Int == 0, "\(document)")
        let rejected = try #require(document["rejected"] as? [[String: Any]])
        #expect(rejected.map { $0["line"] as? Int } == [4, 6])
        #expect(rejected.map { ($0["answer"] as? [String: Any])?["error"] as? String } == ["unknown_type", "missing_field"])
        #expect(try daemon.stop() == 0)
    }

    @Test("thousands of lines in commit mode with a slow flush: every answer waited for, every event committed")
    func waitsForEveryAnswer() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "1.5"])
        let count = 20_000
        let lines = (1...count).map { #"{"type":"click","share":"s\#($0 % 100)","source":"send-test","seq":\#($0)}"# }
        let run = try SharectlTests.sharectl(["send", "--quiet", "--ingest-socket", daemon.ingestSocket],
                                             input: lines.joined(separator: "\n") + "\n")
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        let plain = try SharectlTests.sharectl(["send", "--ingest-socket", daemon.ingestSocket],
                                               input: lines.prefix(500).joined(separator: "\n"))
        #expect(plain.stdout.split(separator: "\n").count == 500)
        #expect(plain.stdout.split(separator: "\n").allSatisfy { $0 == #"{"ok":true,"duplicate":true}"# })
        #expect(try daemon.stop() == 0)
        let database = try daemon.openDatabase()
        let clicks = try database.prepare("SELECT SUM(clicks) FROM counters").rows { $0.int64(0) }
        #expect(clicks == [Int64(count)])
    }

    @Test("lines piped in are posted as they come, each answer printed as it arrives, while the input stays open")
    func streamsAsTheInputComes() throws {
        let daemon = try DaemonProcess()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharectl"))
        process.arguments = ["send", "--ingest-socket", daemon.ingestSocket]
        let (input, output) = (Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        /// What sharectl printed within 10 s (empty if nothing).
        func printed() -> String {
            var ready = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 10_000) == 1 else { return "" }
            return String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        input.fileHandleForWriting.write(Data((Self.share + "\n").utf8))
        #expect(printed() == #"{"ok":true}"# + "\n")
        input.fileHandleForWriting.write(Data((Self.click + "\n").utf8))
        #expect(printed() == #"{"ok":true}"# + "\n")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try daemon.stop() == 0)
    }

    @Test("--test makes every event a test: \"test\": true added, or in place of false or null; lines the daemon refuses as they are")
    func testMark() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let listener = try LineListener(path: directory + "/ingest.sock")
        let input = [#"{"type":"click","share":"a"}  "#, "{}", #"{"type":"click","share":"b","test":false}"#,
                     #"{"type":"click","share":"c","test" : null ,"x":1}"#, #"{"type":"click","share":"d","x":1e400}"#,
                     #"{"type":"click","share":"e","x":[[[{"\u0074":1}]]]}"#, #"{"type":"click","share":"f","test":"yes"}"#,
                     #"{"type":"click","share":"g","x":1,"x":2}"#, #"{"type":"click","share":"h"}{}"#, "not json"]
        let run = try SharectlTests.sharectl(["send", "--test", "--ingest-socket", listener.path],
                                             input: input.joined(separator: "\n"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(listener.received == [#"{"type":"click","share":"a","test":true}  "#, #"{"test":true}"#,
                                      #"{"type":"click","share":"b","test":true}"#,
                                      #"{"type":"click","share":"c","test" : true ,"x":1}"#,
                                      #"{"type":"click","share":"d","x":1e400,"test":true}"#,
                                      #"{"type":"click","share":"e","x":[[[{"\u0074":1}]]],"test":true}"#] + input[6...])
    }

    @Test("--test against the daemon: answered as test events, counted only as test (a line led by a byte order mark too)")
    func testEventsCountNothing() throws {
        let daemon = try DaemonProcess()
        let run = try SharectlTests.sharectl(["send", "--test", "--ingest-socket", daemon.ingestSocket],
                                             input: [Self.share, Self.click, Self.unknownType, Self.realClick,
                                                     "\u{FEFF}" + Self.share].joined(separator: "\n"))
        #expect(run.status == 1)
        let answers = run.stdout.split(separator: "\n")
        #expect(answers.count == 5 && answers[0] == #"{"ok":true,"test":true}"# && answers[1] == #"{"ok":true,"test":true}"#
                && answers[3] == #"{"ok":true,"test":true}"# && answers[4] == #"{"ok":true,"test":true}"#, "\(run.stdout)")
        let totals = try #require(try SingleDaemonTests.status(daemon.controlSocket)["totals"] as? [String: Any])
        #expect(totals["accepted"] as? Int == 0 && totals["test"] as? Int == 4, "\(totals)")
        #expect(try daemon.stop() == 0)
    }

    @Test("the wrong socket is named as such: send to the control socket, a query to the ingest socket (not counted)")
    func wrongSocket() throws {
        let daemon = try DaemonProcess()
        let send = try SharectlTests.sharectl(["send", "--ingest-socket", daemon.controlSocket], input: Self.click)
        #expect(send.status == 64)
        #expect(send.stderr.contains("not an ingest socket") && send.stderr.contains("--ingest-socket"), "\(send.stderr)")
        let status = try SharectlTests.sharectl(["status", "--socket", daemon.ingestSocket])
        #expect(status.status == 64 && status.stdout.isEmpty)
        #expect(status.stderr.contains("is an ingest socket") && status.stderr.contains("control socket"), "\(status.stderr)")
        #expect(!status.stderr.contains("DecodingError"))
        let totals = try #require(try SingleDaemonTests.status(daemon.controlSocket)["totals"] as? [String: Any])
        #expect(totals["rejected"] as? Int == 0)
        #expect(try daemon.stop() == 0)
    }

    @Test("no daemon: the socket is named; an unreadable file is named")
    func unreachable() throws {
        let socket = try SharectlTests.sharectl(["send", "--ingest-socket", "/nonexistent/ingest.sock"], input: Self.click)
        #expect(socket.status == 69 && socket.stderr.contains("/nonexistent/ingest.sock"))
        let file = try SharectlTests.sharectl(["send", "/nonexistent/events.ndjson"])
        #expect(file.status == 66 && file.stderr.contains("/nonexistent/events.ndjson"))
    }
}
