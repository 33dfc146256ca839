import Foundation
import Glibc
import ShareTrackCore
import Testing

/// One way of saying each thing, in every command: times, orphans, flush reports, log lines.
@Suite("Consistency", .serialized)
struct ConsistencyTests {
    /// Every value under a key that names a time (`time`, `last_seen`, ...), with its path.
    static func times(in value: Any, path: String = "") -> [(String, Any)] {
        switch value {
        case let object as [String: Any]:
            object.flatMap { key, value in
                let here = path.isEmpty ? key : path + "." + key
                let isTime = key == "time" || key.hasSuffix("_time") || key.hasSuffix("_seen") || key.hasSuffix("_at")
                return (isTime ? [(here, value)] : []) + times(in: value, path: here)
            }
        case let array as [Any]:
            array.flatMap { times(in: $0, path: path + "[]") }
        default:
            []
        }
    }

    @Test("every time in --json is an RFC 3339 string")
    func rfc3339Everywhere() throws {
        let daemon = try SharectlTests.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        _ = try SharectlTests.sharectl(["flush"] + socket)
        var found: Set<String> = []
        for command in [["status"], ["flush"], ["top"], ["advocate", "ann"], ["share", "s1"], ["sources"], ["tiers"]] {
            let run = try SharectlTests.sharectl(command + ["--json"] + socket)
            #expect(run.status == 0, "\(command): \(run.stderr)")
            for (path, value) in Self.times(in: run.json) {
                found.insert("\(command[0]): \(path)")
                #expect((value as? String).flatMap { RFC3339.parse($0) } != nil, "\(command) \(path) = \(value)")
            }
        }
        #expect(found.isSuperset(of: ["status: last_flush.time", "flush: time", "share: time", "sources: [].last_seen"]),
                "\(found)")
        #expect(try daemon.stop() == 0)
    }

    @Test("an orphan bot click is a bot click, never an orphan: in status and in share alike")
    func orphanBotClick() throws {
        let daemon = try SharectlTests.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([#"{"type":"click","share":"ghost","bot":true}"#]) == [#"{"ok":true}"#])
        let totals = try #require(try SingleDaemonTests.status(daemon.controlSocket)["totals"] as? [String: Any])
        #expect(totals["orphans"] as? Int == 1)  // orphan1's click only
        let ghost = try #require(try SharectlTests.sharectl(["share", "ghost", "--json"] + socket).json as? [String: Any])
        #expect(ghost["orphan_clicks"] as? Int == 0 && ghost["bot_clicks"] as? Int == 1, "\(ghost)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a flush of only duplicate or rejected lines says so instead of '0 events, 1 rows'")
    func flushLine() throws {
        let daemon = try DaemonProcess(arguments: ["--ack", "receive", "--flush-interval", "3600"])
        let socket = ["--socket", daemon.controlSocket]
        let line = #"{"type":"share","share":"s1","advocate":"ann","venue":"cafe","network":"x","followers":10,"source":"k","seq":1}"#
        let client = try LineClient(path: daemon.ingestSocket)
        #expect(try client.exchange([line]) == [#"{"ok":true}"#])
        let first = try SharectlTests.sharectl(["flush"] + socket)
        #expect(first.stdout.hasPrefix("flushed 1 event, 2 rows, 1 producer in "), "\(first.stdout)")
        #expect(try client.exchange([line]) == [#"{"ok":true,"duplicate":true}"#])
        let second = try SharectlTests.sharectl(["flush"] + socket)
        #expect(second.stdout.hasPrefix("flushed 1 event, nothing to count (duplicate or rejected lines), 1 producer updated in "),
                "\(second.stdout)")
        let rejected = #"{"type":"click","share":"s 1","source":"k","seq":2}"#
        #expect(try client.exchange([rejected]).first?.contains("bad_field") == true)
        let third = try SharectlTests.sharectl(["flush"] + socket)
        #expect(third.stdout.hasPrefix("flushed 0 events, nothing to count (duplicate or rejected lines), 1 producer updated in "),
                "\(third.stdout)")
        let status = try SharectlTests.sharectl(["status"] + socket)
        #expect(status.stdout.contains("0 events, nothing to count"), "\(status.stdout)")
        #expect(try daemon.stop() == 0)
    }

    @Test("log lines: <N> priority prefixes in a pipe (journald, a supervisor), none on a terminal")
    func logPrefixes() throws {
        let piped = try DaemonProcess(arguments: ["--config", "/nonexistent/sharetrackd.yaml"], waitForReady: false)
        #expect(try piped.waitForExit() == 78)
        #expect(piped.log.hasPrefix("<3>sharetrackd: "), "\(piped.log)")

        // `script` runs the daemon on a pseudo-terminal, as a person at a shell does.
        let command = "\(DaemonProcess.binary("sharetrackd")) --config /nonexistent/sharetrackd.yaml"
        let (status, output) = try InstallTests.run("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(status == 78)
        #expect(output.hasPrefix("error: sharetrackd: ") && !output.contains("<3>"), "\(output)")
    }
}
