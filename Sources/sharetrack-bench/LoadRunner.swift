import Glibc
import Histogram

/// Sends a workload's streams over one connection each, pipelined with a window of unacknowledged
/// lines (or paced at a fixed rate), reads the answers, and times every line from the moment its
/// last byte was written to the moment its answer was read. Like a producer that keeps the
/// contract, it sends a line answered `overloaded`, and every line after it, again (after
/// `Producer.retryDelay`): the daemon refuses a source's later seqs until the refused one comes.
///
/// One thread drives every connection with `poll(2)`, so the load generator takes as little CPU as
/// it can from the daemon it measures (this machine has two cores).
struct LoadRunner {
    struct Options {
        /// Unacknowledged lines allowed per connection.
        var window: Int
        /// Events per second over all connections; nil: as fast as the daemon answers.
        var rate: Double?
        /// Give up when no answer has arrived for this long.
        var stallTimeout: Double = 120
        /// Print progress to stderr once a second.
        var progress = false
    }

    struct Outcome {
        /// First byte written to last answer read.
        var seconds: Double
        /// First byte written to last byte written.
        var sendingSeconds = 0.0
        var acknowledged = 0
        var ok = 0
        var duplicates = 0
        var rejected = 0
        var firstRejection: String?
        /// Answers `overloaded` (each line then sent again; not in `acknowledged`).
        var overloaded = 0
        /// Microseconds from a line's last byte written to its answer read.
        var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                                        numberOfSignificantValueDigits: .three)
    }

    let options: Options

    func run(_ workload: Workload, socket path: String) throws -> Outcome {
        var producers = try workload.streams.map { stream in
            let fd = try UnixSocket.connect(path: path)
            UnixSocket.setNonBlocking(fd)
            return Producer(fd: fd, lines: stream.lineCount)
        }
        defer { for producer in producers { close(producer.fd) } }

        var outcome = Outcome(seconds: 0)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        let perConnectionRate = options.rate.map { $0 / Double(producers.count) }
        let start = monotonicNanoseconds()
        var lastAnswer = start
        var lastProgress = start
        var pollSet = [pollfd](repeating: pollfd(), count: producers.count)

        while producers.contains(where: { !$0.isDone }) {
            let now = monotonicNanoseconds()
            var throttled = false
            for index in producers.indices {
                let stream = workload.streams[index]
                producers[index].goBackIfRefused(stream, now: now)
                var allowed = min(stream.lineCount, producers[index].acknowledged + options.window)
                if let perConnectionRate {
                    let due = Int(perConnectionRate * Double(now - start) / 1e9) + 1
                    if due < allowed { allowed = due; throttled = true }
                }
                if producers[index].isHeldBack(at: now) {
                    allowed = producers[index].written + (producers[index].sent > producers[index].lineStart(stream) ? 1 : 0)
                    throttled = true
                }
                producers[index].byteLimit = allowed > 0 ? stream.lineEnds[allowed - 1] : 0
                var events = Int16(POLLIN)
                if producers[index].sent < producers[index].byteLimit { events |= Int16(POLLOUT) }
                pollSet[index] = pollfd(fd: producers[index].isDone ? -1 : producers[index].fd, events: events, revents: 0)
            }
            let ready = poll(&pollSet, nfds_t(pollSet.count), throttled ? 1 : 100)
            if ready < 0 && errno != EINTR { throw UnixSocket.Failure("poll") }

            for index in producers.indices where pollSet[index].revents != 0 {
                let revents = Int32(pollSet[index].revents)
                if revents & Int32(POLLOUT) != 0 {
                    try producers[index].write(workload.streams[index])
                }
                if revents & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
                    if try producers[index].read(into: buffer, outcome: &outcome) { lastAnswer = monotonicNanoseconds() }
                }
            }

            let after = monotonicNanoseconds()
            if Double(after - lastAnswer) / 1e9 > options.stallTimeout {
                throw UnixSocket.Failure("no answer from the daemon for \(Int(options.stallTimeout)) s "
                    + "(\(outcome.acknowledged) of \(workload.events) answered)", errno: ETIMEDOUT)
            }
            if options.progress && after - lastProgress >= 1_000_000_000 {
                lastProgress = after
                let sent = producers.reduce(0) { $0 + $1.written }
                let elapsed = Double(after - start) / 1e9
                printError("  \(Format.seconds(elapsed)): sent \(sent), answered \(outcome.acknowledged) "
                    + "(\(Format.integer(Int(Double(outcome.acknowledged) / elapsed))) events/s)")
            }
        }
        outcome.seconds = Double(lastAnswer - start) / 1e9
        outcome.sendingSeconds = Double((producers.map { $0.writtenAt.last ?? start }.max() ?? start) - start) / 1e9
        return outcome
    }
}

/// One producer connection's progress.
private struct Producer {
    let fd: Int32
    let lines: Int
    /// Bytes written, and the byte offset the window (or rate) lets it write up to.
    var sent = 0
    var byteLimit = 0
    /// Lines completely written, and when (monotonic ns).
    var written = 0
    var writtenAt: [UInt64]
    var acknowledged = 0
    /// The start of an answer line whose `\n` has not arrived yet.
    var partial: [UInt8] = []
    /// The first line answered `overloaded`, while the lines written after it are answered
    /// (refused too); then it and they are sent again, from `retryAt` (monotonic ns) on.
    var refusedFrom: Int?
    var retryAt: UInt64 = 0
    static let retryDelay: UInt64 = 100_000_000

    init(fd: Int32, lines: Int) {
        self.fd = fd
        self.lines = lines
        writtenAt = [UInt64](repeating: 0, count: lines)
    }

    var isDone: Bool { acknowledged == lines && refusedFrom == nil }

    /// Whether it writes no new line now: one was refused, or it waits to send them again (the
    /// rest of a line begun is written, so that the daemon does not take it with the next one).
    func isHeldBack(at now: UInt64) -> Bool { refusedFrom != nil || now < retryAt }

    /// Where the next line to write starts in `stream`.
    func lineStart(_ stream: Workload.Stream) -> Int {
        written == 0 ? 0 : stream.lineEnds[written - 1]
    }

    /// Once every line written after a refused one is answered, goes back to that one.
    mutating func goBackIfRefused(_ stream: Workload.Stream, now: UInt64) {
        guard let first = refusedFrom, acknowledged == written, sent == lineStart(stream) else { return }
        written = first
        acknowledged = first
        sent = lineStart(stream)
        refusedFrom = nil
        retryAt = now + Self.retryDelay
    }

    mutating func write(_ stream: Workload.Stream) throws {
        while sent < byteLimit {
            let count = stream.bytes.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + sent, min(byteLimit - sent, 256 * 1024), Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { break }
                throw UnixSocket.Failure("send to the ingest socket")
            }
            sent += count
            let now = monotonicNanoseconds()
            while written < lines && stream.lineEnds[written] <= sent {
                writtenAt[written] = now
                written += 1
            }
        }
    }

    /// Reads what answers have arrived; `true` if there were any.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer, outcome: inout LoadRunner.Outcome) throws -> Bool {
        var any = false
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { return any }
                throw UnixSocket.Failure("read from the ingest socket")
            }
            if count == 0 {
                if isDone { return any }
                throw UnixSocket.Failure("the daemon closed the connection after \(acknowledged) of \(lines) answers",
                                         errno: ECONNRESET)
            }
            any = true
            let now = monotonicNanoseconds()
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            var start = 0
            while let found = memchr(bytes.baseAddress! + start, 0x0A, count - start) {
                let newline = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                if partial.isEmpty {
                    try answer(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), at: now, outcome: &outcome)
                } else {
                    partial += bytes[start..<newline]
                    let line = partial
                    partial.removeAll(keepingCapacity: true)
                    try line.withUnsafeBytes { try answer($0, at: now, outcome: &outcome) }
                }
                start = newline + 1
            }
            partial += bytes[start...]
            if count < buffer.count { return any }
        }
    }

    private mutating func answer(_ line: UnsafeRawBufferPointer, at now: UInt64, outcome: inout LoadRunner.Outcome) throws {
        guard acknowledged < written else {
            throw UnixSocket.Failure("an answer arrived for a line not sent yet", errno: EPROTO)
        }
        defer { acknowledged += 1 }
        if line.starts(with: #"{"ok":false,"error":"overloaded""#.utf8) {
            refusedFrom = refusedFrom ?? acknowledged
            outcome.overloaded += 1
            return
        }
        outcome.latency.record(max(1, (now - writtenAt[acknowledged]) / 1_000))
        outcome.acknowledged += 1
        if line.count == 11 {  // {"ok":true}
            outcome.ok += 1
        } else if line.starts(with: #"{"ok":true,"duplicate":true}"#.utf8) {
            outcome.duplicates += 1
        } else {
            outcome.rejected += 1
            if outcome.firstRejection == nil { outcome.firstRejection = String(decoding: line, as: UTF8.self) }
        }
    }
}
