import Foundation
import Glibc
import ShareTrackStore
import Testing
import TestSupport

/// Whatever reaches the ingest socket: each bad line gets its error, the daemon stays up, no
/// counter moves, and a client that never reads cannot make the daemon buffer without bound.
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    /// Everything a rejected line could have changed: the committed rows and the status totals.
    struct Footprint: Equatable {
        var counters: [ReferenceModel.Key: ReferenceModel.Row]
        var shares: [String: Int]
        var visitors: Int
        var sources: Int
        var accepted: Int
        var pending: Int

        init(_ daemon: DaemonProcess) throws {
            let database = try daemon.openDatabase()
            counters = try DatabaseRows.counters(database)
            shares = try DatabaseRows.shareFollowers(database)
            visitors = try VisitorHashes.stored(in: database).count
            // (Not `duplicates`: the probes below are duplicates, answered and counted apart.)
            sources = try DatabaseRows.count(database, "SELECT SUM(highest_seq + accepted) FROM sources")
            let status = StatusNumbers(try daemon.status())
            accepted = status.accepted
            pending = status.pendingEvents
        }
    }

    /// A few committed events, so that "no counter moves" has counters to watch.
    static func seed(_ daemon: DaemonProcess) throws {
        let client = try LineClient(path: daemon.ingestSocket)
        let answers = try client.exchange([
            #"{"type":"share","share":"t","advocate":"ann","venue":"cafe","network":"x","followers":10,"source":"k","seq":1}"#,
            #"{"type":"click","share":"t","visitor":"v1","source":"k","seq":2}"#,
            #"{"type":"conversion","share":"t","value":2.5,"source":"k","seq":3}"#,
        ])
        #expect(answers == Array(repeating: #"{"ok":true}"#, count: 3))
    }

    /// The probe that shows a connection still works without counting anything: a duplicate seq.
    static let probe = #"{"type":"click","share":"t","source":"k","seq":1}"#

    static func validShare(_ token: String) -> String {
        #"{"type":"share","share":"\#(token)","advocate":"ann","venue":"cafe","network":"instagram","followers":840,"ts":"2026-11-27T20:15:00Z"}"#
    }

    /// Lines for a daemon with the default max_line_bytes (65536), each with the code it must get.
    static func garbage(seed: UInt64) -> [([UInt8], String)] {
        var cases: [([UInt8], String)] = []
        func add(_ text: String, _ code: String) { cases.append((Array(text.utf8), code)) }

        // Random bytes (no newline; a lone "\r" would be an empty line).
        var random = SplitMix(seed: seed)
        for _ in 0..<300 {
            var bytes = (0..<(1 + random.next(below: 300))).map { _ in UInt8(random.next(below: 256)) }
            bytes = bytes.map { $0 == 0x0A ? 0x0B : $0 }
            if bytes[0] == UInt8(ascii: "{") || bytes == [0x0D] { bytes[0] = UInt8(ascii: "x") }
            cases.append((bytes, String(validating: bytes, as: UTF8.self) == nil ? "bad_utf8" : "bad_json"))
        }
        // NUL: outside a string, inside one, after the object.
        cases.append(([0], "bad_json"))
        cases.append((Array(#"{"type":"click","share":"t"#.utf8) + [0] + Array(#""}"#.utf8), "bad_json"))
        cases.append((Array(#"{"type":"click","share":"t"}"#.utf8) + [0], "bad_json"))
        cases.append((Array(#"{"type":"click","share":"t","visitor":"\u0000"}"#.utf8), "bad_field"))
        // Invalid UTF-8: lone continuation, overlong, surrogate, above U+10FFFF, truncated, 0xFF.
        for bad: [UInt8] in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            cases.append((Array(#"{"type":"click","share":"t","visitor":""#.utf8) + bad + Array(#""}"#.utf8), "bad_utf8"))
            cases.append((Array(#"{"type":"click","share":"t","x":""#.utf8) + bad + Array(#""}"#.utf8), "bad_utf8"))
        }
        // Truncated JSON: every proper prefix of a valid line (prefixes that end in whitespace included).
        let valid = Array(validShare("trunc").utf8)
        for length in 1..<valid.count { cases.append((Array(valid[..<length]), "bad_json")) }
        add(#"{"type":"click","share":"t""#, "bad_json")
        add(#"{"type":"click","share":"t\"#, "bad_json")
        add(#"{"type":"click","share":"\ud83d"}"#, "bad_json")  // unpaired surrogate escape
        // Nesting as deep as the line allows.
        add(String(repeating: "[", count: 60_000), "bad_json")
        add(String(repeating: "{", count: 60_000), "bad_json")
        add(String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000), "bad_json")
        add(#"{"x":"# + String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000) + "}", "missing_field")
        add(#"{"type":"click","x":"# + String(repeating: #"{"a":"#, count: 10_000) + "1"
            + String(repeating: "}", count: 10_000) + "}", "missing_field")
        add(#"{"type":"click","share":"t","bot":"# + String(repeating: "[", count: 20_000) + "}", "bad_json")
        // Huge and odd numbers.
        add(#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":1e400}"#, "bad_field")
        add(#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":1"#
            + String(repeating: "0", count: 60_000) + "}", "bad_field")
        add(#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":0."#
            + String(repeating: "0", count: 60_000) + "1}", "bad_field")
        add(#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":1e99999999999999999999}"#, "bad_field")
        add(#"{"type":"click","share":"n","source":"s","seq":9007199254740993}"#, "bad_field")
        add(#"{"type":"click","share":"n","source":"s","seq":99999999999999999999999999999}"#, "bad_field")
        add(#"{"type":"click","share":"n","source":"s","seq":0}"#, "bad_field")
        add(#"{"type":"conversion","share":"n","value":1e400}"#, "bad_field")
        add(#"{"type":"conversion","share":"n","value":-0.5}"#, "bad_field")
        add(#"{"type":"click","share":"n","ts":"99999-01-01T00:00:00Z"}"#, "bad_field")
        add(#"{"type":"click","share":"n","ts":"2026-02-30T00:00:00Z"}"#, "bad_field")
        add(#"{"type":"cl\u0069ck","share":"n","bot":1}"#, "bad_field")
        add(#"{"type":"\u0000","share":"n"}"#, "unknown_type")
        add(#"{"type":null,"share":"n"}"#, "missing_field")
        add(#"{"type":"click","share":""# + String(repeating: "a", count: 129) + #""}"#, "bad_field")
        // Long lines: exactly max_line_bytes is parsed; one byte more is line_too_long.
        let filler = #"{"type":"click","x":""#
        add(filler + String(repeating: "a", count: 65536 - filler.utf8.count - 2) + #""}"#, "missing_field")
        add(filler + String(repeating: "a", count: 65537 - filler.utf8.count - 2) + #""}"#, "line_too_long")
        add(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "line_too_long")
        add(#"{"type":"click","share":"t","visitor":""# + String(repeating: "a", count: 1 << 20) + #""}"#, "line_too_long")
        add(String(repeating: "x", count: 10 << 20), "line_too_long")
        return cases
    }

    @Test("garbage of every kind gets the right error on the same connection; nothing moves; the daemon stays up")
    func garbageLines() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        try Self.seed(daemon)
        let before = try Footprint(daemon)
        let statusBefore = StatusNumbers(try daemon.status())
        let cases = Self.garbage(seed: 0x5EED)

        let client = try LineClient(path: daemon.ingestSocket)
        let other = try LineClient(path: daemon.ingestSocket)
        // Written from another thread: the lines are far larger than the socket buffers.
        let writer = Thread {
            for (bytes, _) in cases { try? client.sendLine(bytes) }
            try? client.send(Self.probe + "\n")
        }
        writer.start()
        var wrong: [String] = []
        for (index, (bytes, code)) in cases.enumerated() {
            let answer = try client.nextCode()
            if answer != code {
                wrong.append("case \(index) (\(bytes.count) bytes, \(String(decoding: bytes.prefix(60), as: UTF8.self).debugDescription)): \(answer), expected \(code)")
            }
            // Meanwhile another connection is served as usual.
            if index % 100 == 0 { #expect(try other.exchange([Self.probe]) == [#"{"ok":true,"duplicate":true}"#]) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).joined(separator: "\n"))")
        #expect(try client.nextCode() == "duplicate")  // still in step after all of it

        let statusAfter = StatusNumbers(try daemon.status())
        var expectedCodes = statusBefore.rejectedByCode
        for (_, code) in cases { expectedCodes[code, default: 0] += 1 }
        #expect(statusAfter.rejectedByCode == expectedCodes)
        #expect(statusAfter.accepted == statusBefore.accepted)
        usleep(300_000)  // a few flush intervals
        #expect(try Footprint(daemon) == before)
        #expect(daemon.process.isRunning)
        print("garbage: \(cases.count) lines, daemon peak RSS \(daemon.memoryKB("VmHWM") / 1024) MB")
        #expect(try daemon.stop() == 0)
    }

    @Test("with max_line_bytes at 4 MB: 100k brackets, 1 MB strings and a million digits are refused, quickly")
    func bigLines() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.1", "--max-line-bytes", "\(4 << 20)"])
        try Self.seed(daemon)
        let before = try Footprint(daemon)
        let mega = 1 << 20
        let cases: [(String, String)] = [
            (String(repeating: "[", count: 100_000), "bad_json"),
            (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "bad_json"),
            (String(repeating: "{\"a\":", count: 100_000), "bad_json"),
            (#"{"x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}", "missing_field"),
            (#"{"type":"click","share":"t","visitor":""# + String(repeating: "a", count: mega) + #""}"#, "bad_field"),
            (#"{"type":"click","share":"t","visitor":""# + String(repeating: "é", count: mega) + #""}"#, "bad_field"),
            (#"{"type":"click","share":"t","visitor":""# + String(repeating: #"\u00e9"#, count: mega / 2) + #""}"#, "bad_field"),
            (#"{"type":"click","share":""# + String(repeating: "a", count: mega) + #""}"#, "bad_field"),
            (#"{"type":"click","x":""# + String(repeating: "a", count: mega) + #""}"#, "missing_field"),
            (#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":1"#
                + String(repeating: "0", count: mega) + "}", "bad_field"),
            (#"{"type":"share","share":"n","advocate":"a","venue":"v","network":"x","followers":0."#
                + String(repeating: "0", count: mega) + "1e1000000}", "bad_field"),
            (#"{"type":"conversion","share":"n","value":1"# + String(repeating: "0", count: mega) + "}", "bad_field"),
            (String(repeating: "[1,", count: mega / 2) + "1" + String(repeating: "]", count: mega / 2), "bad_json"),
            (String(repeating: "a", count: (4 << 20) + 1), "line_too_long"),
        ]
        let client = try LineClient(path: daemon.ingestSocket)
        let started = Date()
        let writer = Thread {
            for (line, _) in cases { try? client.send(line + "\n") }
        }
        writer.start()
        for (line, code) in cases {
            let answer = try client.nextCode()
            #expect(answer == code, "\(line.prefix(60))… (\(line.utf8.count) bytes)")
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 20, "\(cases.count) multi-megabyte lines took \(seconds) s")
        #expect(try client.exchange([Self.probe]) == [#"{"ok":true,"duplicate":true}"#])
        usleep(300_000)
        #expect(try Footprint(daemon) == before)
        print("big lines: \(String(format: "%.2f", seconds)) s, daemon peak RSS \(daemon.memoryKB("VmHWM") / 1024) MB")
        #expect(try daemon.stop() == 0)
    }

    @Test("clients that vanish mid-line, or close without reading their answers, change nothing")
    func vanishingClients() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        try Self.seed(daemon)
        let before = try Footprint(daemon)
        let statusBefore = StatusNumbers(try daemon.status())
        let share = Self.validShare("never")
        for cut in [1, 10, share.utf8.count / 2, share.utf8.count] {  // the last: whole line, no newline
            let client = try LineClient(path: daemon.ingestSocket)
            try client.send(Array(share.utf8.prefix(cut)))
            client.close()
        }
        do {  // 50 KB of an unfinished line
            let client = try LineClient(path: daemon.ingestSocket)
            try client.send(#"{"type":"click","share":"t","x":""# + String(repeating: "a", count: 50_000))
        }
        do {  // a line over max_line_bytes, cut off
            let client = try LineClient(path: daemon.ingestSocket)
            try client.send(String(repeating: "a", count: 100_000))
        }
        do {  // 1000 complete bad lines and half a good one, then gone without reading a byte
            let client = try LineClient(path: daemon.ingestSocket)
            try client.send(String(repeating: "nope\n", count: 1000) + share.prefix(20))
            client.close()
        }
        // The daemon notices each of them and closes its end.
        #expect(try eventually {
            let status = try daemon.status()
            return (status["connections"] as? [String: Any])?["open"] as? Int == 0
        })
        #expect(try LineClient(path: daemon.ingestSocket).exchange([Self.probe]) == [#"{"ok":true,"duplicate":true}"#])
        usleep(300_000)
        #expect(try Footprint(daemon) == before)
        let statusAfter = StatusNumbers(try daemon.status())
        #expect(statusAfter.accepted == statusBefore.accepted)
        #expect(statusAfter.rejectedByCode["bad_json", default: 0] - statusBefore.rejectedByCode["bad_json", default: 0] <= 1000)
        #expect(try daemon.stop() == 0)
    }

    @Test("control clients that vanish mid-request leave no connection behind")
    func vanishingControlClients() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.status()
        let before = daemon.openFiles()
        #expect(before > 0)
        for _ in 0..<20 {
            // Connect, write half a request, close: the bytes and the hang-up arrive together.
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: daemon.controlSocket.utf8) }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            #expect(connected == 0)
            _ = #"{"command":"sta"#.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            close(fd)
        }
        // A request's bytes and the hang-up can arrive as one event: the end of input must still be seen.
        #expect(eventually(timeout: 3) { daemon.openFiles() <= before })
        #expect(try daemon.status()["pid"] as? Int == Int(daemon.pid))
        #expect(try daemon.stop() == 0)
    }

    @Test("a client that writes without reading is stopped, memory stays bounded, others keep their latency")
    func writerThatNeverReads() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        try Self.seed(daemon)
        let baseline = daemon.memoryKB()
        // Lines whose answers are 40 times their size: the worst ratio of output to input.
        let chunk = Array(String(repeating: "x\n", count: 32_768).utf8)
        let greedy = try LineClient(path: daemon.ingestSocket)
        greedy.setSendTimeout(seconds: 2)
        let written = LockedCounter()
        let writer = Thread {
            while (try? greedy.send(chunk)) != nil { written.add(chunk.count) }
        }
        writer.start()
        // The daemon stops reading: the writer's send blocks (and times out) with the total bounded.
        #expect(eventually(timeout: 60) { writer.isFinished })
        let total = written.value
        #expect(total < 64 << 20, "the daemon read \(total >> 20) MB from a client that never reads")

        // Another client's round trip stays short while the greedy one is stalled.
        let other = try LineClient(path: daemon.ingestSocket, timeoutSeconds: 10)
        var worst = 0.0
        for _ in 0..<20 {
            let started = Date()
            #expect(try other.exchange([Self.probe]) == [#"{"ok":true,"duplicate":true}"#])
            worst = max(worst, Date().timeIntervalSince(started))
        }
        #expect(worst < 1.0, "round trip \(worst) s while another client is stalled")
        let peak = daemon.memoryKB("VmHWM")
        let growth = peak - baseline
        #expect(growth < 160 * 1024, "peak RSS grew by \(growth / 1024) MB for one stalled client")
        print("stalled writer: daemon read \(total >> 10) KB before it stopped reading; RSS \(baseline / 1024) MB -> peak \(peak / 1024) MB; other client's worst round trip \(Int(worst * 1000)) ms")

        // Once the greedy client reads, it gets every answer (one per line it managed to write).
        let answers = try greedy.countLines(total / 2, timeout: 60)
        #expect(answers >= total / 2, "\(answers) answers to \(total / 2) lines")
        #expect(daemon.process.isRunning)
        #expect(try daemon.stop() == 0)
    }

    @Test("many stalled writers at once: RSS stays within the per-connection bound; SIGTERM still stops it promptly")
    func manyStalledWriters() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        let baseline = daemon.memoryKB()
        let chunk = Array(String(repeating: "x\n", count: 32_768).utf8)
        let clients = try (0..<32).map { _ in try LineClient(path: daemon.ingestSocket) }
        let threads = clients.map { client in
            client.setSendTimeout(seconds: 2)
            return Thread { while (try? client.send(chunk)) != nil {} }
        }
        threads.forEach { $0.start() }
        #expect(eventually(timeout: 120) { threads.allSatisfy(\.isFinished) })
        let growth = daemon.memoryKB("VmHWM") - baseline
        print("32 stalled writers: peak RSS grew by \(growth / 1024) MB")
        #expect(growth < 32 * 24 * 1024)
        // They still hold their connections, replies unread and lines unread behind them: the stop
        // waits 5 s for replies to go out, and does not parse what was never read.
        #expect(try daemon.stop(timeout: 15) == 0)
    }
}

/// A total added to from one thread and read from another.
final class LockedCounter: @unchecked Sendable {
    // @unchecked: every access to `total` holds `lock`.
    private let lock = NSLock()
    private var total = 0
    func add(_ count: Int) { lock.withLock { total += count } }
    var value: Int { lock.withLock { total } }
}

// Sending from one thread while reading on another is safe: `fd` is immutable and only reading
// touches the buffer.
extension LineClient: @unchecked Sendable {}

extension LineClient {
    /// Reads and counts up to `count` response lines without decoding them (false: closed or timed out).
    func countLines(_ count: Int, timeout: Double) throws -> Int {
        var seen = 0
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while seen < count && Date() < deadline {
            let received = withFileDescriptor { fd in chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            guard received > 0 else { break }
            seen += chunk[..<received].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return seen
    }

    /// Makes a blocked `send` give up after `seconds`.
    func setSendTimeout(seconds: Int) {
        withFileDescriptor { fd in
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }
}
