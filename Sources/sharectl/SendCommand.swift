import ArgumentParser
import Foundation
import Glibc
import ShareTrackCore
import Synchronization

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Post NDJSON events from a file or stdin to the ingest socket and print the answers.",
        discussion: """
            Every line goes to the daemon's ingest socket as it is (empty lines are skipped, as the \
            daemon skips them). sharectl sends while it reads the answers, and waits for an answer \
            to every line before it exits: in ack: commit mode an answer comes only after the \
            commit that holds the event, up to one flush interval later, and a client that hangs \
            up before then never sees it. The answers are printed in order, one per line; with \
            --quiet only the rejected lines, each with its line number. Lines piped in are posted \
            as they come and their answers printed as they arrive (tail -f events | sharectl send); \
            the daemon closes a connection that sends nothing for its idle_timeout.

            Exit status: 0 when every line was accepted (or a duplicate), 1 when any line was \
            rejected or left unanswered.
            """)

    @Argument(help: ArgumentHelp("A file of events, one JSON object per line (default, or -: stdin).", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp(
        "The daemon's ingest socket (default: $SHARETRACK_INGEST_SOCKET, else /run/sharetrack/ingest.sock).",
        valueName: "path"))
    var ingestSocket: String?

    /// Every `sharectl` command takes `--socket` (the contract's rule), so a script may pass it to
    /// all of them; `send` posts to the ingest socket and has no use for the control socket.
    @Option(help: ArgumentHelp("The control socket, which send does not use (taken as every command takes it).",
                               valueName: "path"))
    var socket: String?

    @Flag(name: .shortAndLong, help: "Print only the rejected lines, each with its line number.")
    var quiet = false

    @Flag(help: """
        Print one JSON document once every line is answered, instead of the answers: \
        {"sent":6,"accepted":3,"duplicates":1,"test":0,"rejected":[{"line":4,"answer":{...}}],"unanswered":0}.
        """)
    var json = false

    @Flag(help: """
        Mark every event as a test event ("test": true): checked like a real one, counted nowhere. \
        A line's own "test": false or null becomes true; a line the daemon refuses before reading \
        its members (not one JSON object) is sent as it is.
        """)
    var test = false

    func validate() throws {
        if json && quiet { throw ValidationError("--json and --quiet exclude each other") }
    }

    func run() throws {
        let name = file.flatMap { $0 == "-" ? nil : $0 }
        let descriptor = name.map { open($0, O_RDONLY | O_CLOEXEC) } ?? STDIN_FILENO
        guard descriptor >= 0 else {
            throw fail(Failure("cannot read \(name ?? "stdin"): \(String(cString: strerror(errno)))", exitCode: 66))
        }
        let input = InputFile(descriptor: descriptor, name: name ?? "stdin")
        let path = ingestSocket ?? ProcessInfo.processInfo.environment[Settings.Key.ingestSocket.environmentName]
            ?? Settings().ingestSocket
        let tally: Tally
        do {
            tally = try send(from: input, to: path)
        } catch {
            throw fail(Failure(error))
        }
        if json { print(tally.json) }
        guard tally.rejected.count > 0 || tally.unanswered > 0 else { return }
        var problems = tally.rejected.count > 0 ? ["\(tally.rejected.count) of \(tally.sent) lines rejected"] : []
        if tally.unanswered > 0 { problems.append("\(tally.unanswered) lines unanswered: the daemon closed the connection") }
        throw fail(Failure(problems.joined(separator: "; ")))
    }

    private struct Tally {
        var sent = 0
        var accepted = 0
        var duplicates = 0
        var tests = 0
        /// Each rejected line's number and answer.
        var rejected: [(line: Int, answer: String)] = []
        var unanswered = 0

        /// Counts an answer that is not a rejection.
        mutating func count(_ answer: ArraySlice<UInt8>) {
            let text = String(decoding: answer, as: UTF8.self)
            if text.contains(#""duplicate":true"#) {
                duplicates += 1
            } else if text.contains(#""test":true"#) {
                tests += 1
            } else {
                accepted += 1
            }
        }

        /// `--json`'s document.
        var json: String {
            let rejected = rejected.map { #"{"line":\#($0.line),"answer":\#($0.answer)}"# }.joined(separator: ",")
            return #"{"sent":\#(sent),"accepted":\#(accepted),"duplicates":\#(duplicates),"test":\#(tests),"#
                + #""rejected":[\#(rejected)],"unanswered":\#(unanswered)}"#
        }
    }

    /// Sends every line of `input` from a thread of its own while this one reads and prints the answers.
    private func send(from input: InputFile, to path: String) throws(Failure) -> Tally {
        let connection = try SocketConnection(path: path, unreachable: "is sharetrackd running?")
        // The line number of every line sent, in order: the n-th answer is to the n-th of them.
        let sent = Mutex<(numbers: [Int], done: Bool, failure: Failure?)>(([], false, nil))
        let writer = Thread { [test] in
            let failure = Self.write(input: input, to: connection, test: test) { number in
                sent.withLock { $0.numbers.append(number) }
            }
            connection.finishSending()
            sent.withLock { $0.done = true; $0.failure = failure }
        }
        writer.start()
        var tally = Tally()
        var reader = LineReader(connection)
        var answered = 0
        while let answer = try reader.next() {
            let number = sent.withLock { $0.numbers[answered] }
            answered += 1
            let parsed = IngestAnswer(answer)
            if let code = parsed?.error, ErrorCode(rawValue: code) == nil {
                throw Failure("\(path) is not an ingest socket (it answered '\(code)', not an ingest answer): "
                              + "events go to the ingest socket (--ingest-socket; default \(Settings().ingestSocket))",
                              exitCode: 64)
            }
            let rejected = parsed?.ok != true
            let text = String(decoding: answer, as: UTF8.self)
            if rejected {
                tally.rejected.append((number, parsed == nil ? ResponseLine.quoted(text) : text))
            } else {
                tally.count(answer)
            }
            if json {
                continue
            } else if !quiet {
                print(text)
            } else if rejected {
                print("line \(number): \(text)")
            }
            // Answers come as the lines do: print each burst as it arrives, not at the end.
            if !reader.hasLine { fflush(nil) }
        }
        while !sent.withLock({ $0.done }) { usleep(1_000) }
        connection.close()
        let (numbers, _, failure) = sent.withLock { $0 }
        if let failure { throw failure }
        tally.sent = numbers.count
        tally.unanswered = numbers.count - answered
        return tally
    }

    /// Writes the non-empty lines of `input`, calling `sending` with each one's line number
    /// before it goes out; the failure that stopped it, if any. What the input gave goes out
    /// before waiting for more of it, so a producer's lines piped in (`tail -f`) are posted as
    /// they come; a last line without a newline is posted too.
    private static func write(input: InputFile, to connection: SocketConnection, test: Bool,
                              sending: (Int) -> Void) -> Failure? {
        var lines = LineReader(descriptor: input.descriptor, name: input.name)
        var pending: [UInt8] = []
        var number = 0
        func add(_ line: ArraySlice<UInt8>) {
            number += 1
            if line.isEmpty || line == [0x0D] { return }
            sending(number)
            line.withUnsafeBytes { pending += test ? TestMark.marked($0) : Array($0) }
            pending.append(0x0A)
        }
        do throws(Failure) {
            while let line = try lines.next() {
                add(line)
                if pending.count >= 65536 || !lines.hasLine {
                    try connection.send(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            if !lines.rest.isEmpty { add(lines.rest) }
            try connection.send(pending)
            return nil
        } catch {
            return error
        }
    }

    private func fail(_ failure: Failure) -> ExitCode {
        FileHandle.standardError.write(Data("sharectl: \(failure)\n".utf8))
        return ExitCode(failure.exitCode)
    }
}

/// The input file, handed to the writer thread, which alone reads it until it is done (it is
/// closed when the process exits).
private struct InputFile: Sendable {
    let descriptor: Int32
    let name: String
}
