import DequeModule
import Dispatch
import Glibc
import ShareTrackCore

/// One producer connection: reads newline-delimited events, answers each non-empty line once, in
/// order, holding `ok` replies back until the commit they wait for.
///
/// `@unchecked Sendable`: every method and every source handler runs on the ingest queue
/// (`server.queue`), which serializes all access to the mutable state below.
final class IngestConnection: @unchecked Sendable {
    /// Stop reading from a client while this many reply bytes wait for it to read them.
    static let outputLimit = 1 << 20
    /// ... or while this many replies wait for a commit.
    static let waitingLimit = 1 << 20

    let id: Int
    private unowned let server: IngestServer
    private let sources: SocketSources

    /// The start of a line whose end has not arrived yet.
    private var partial: [UInt8] = []
    /// Dropping the rest of a line that was over `max_line_bytes`.
    private var discarding = false
    private var waiting = ReplyQueue()
    private var output: [UInt8] = []
    private var outputSent = 0
    private var endOfInput = false
    /// When the client last sent anything or took some of its answers (for `idle_timeout`).
    private var lastActivity = ContinuousClock.now
    /// Whether the client took some of its answers since the last idle check.
    private var sendQueue = SendQueueProgress()

    init(id: Int, fd: Int32, server: IngestServer) {
        self.id = id
        self.server = server
        sources = SocketSources(fd: fd, queue: server.queue, loop: server.loop)
    }

    func start() {
        sources.start(readable: { [self] in readable() }, writable: { [self] in writeOutput() })
    }

    private var fd: Int32 { sources.fd }
    private var reading: Bool { sources.reading }
    private var closed: Bool { sources.cancelled }

    /// No more reading (shutdown); replies still go out.
    func stopReading() {
        endOfInput = true
        setReading(false)
        closeIfDone()
    }

    var isIdle: Bool { closed || (waiting.isEmpty && outputSent == output.count) }

    /// Reads what has arrived (and so sees a hang-up) without waiting for the event loop.
    func readNow() {
        if reading && !closed { readable() }
    }

    /// Closes the connection if the client has neither sent anything nor taken any of its answers
    /// for `timeout` seconds, and no answer waits for a commit (answers it has not read by then are
    /// dropped: the client has stopped; one still reading a long burst of answers is not idle).
    func closeIfIdle(now: ContinuousClock.Instant, timeout: Double) {
        guard !closed else { return }
        // `writeOutput`'s sends count themselves.
        if sendQueue.shrank(fd) { lastActivity = now }
        if waiting.isEmpty && now - lastActivity >= .seconds(timeout) { close() }
    }

    // MARK: Reading

    /// Reads at most this many buffers per event, so that one busy client cannot starve the others.
    private static let readsPerEvent = 4

    /// Reads until the socket has nothing more (not merely until a short read): a peer that writes
    /// and closes at once is reported as one hang-up, after which the source fires no more, so its
    /// end of input must be found now. Each buffer's lines are answered before the next is read, so
    /// a client that does not read its answers is stopped after one buffer over `outputLimit`.
    private func readable() {
        let buffer = server.readBuffer
        let now = Int64(time(nil))
        var reads = 0
        while reading && !closed && !server.isStopping {
            guard reads < Self.readsPerEvent else {
                // More may be waiting: come back after the other connections' events.
                server.queue.async { [self] in if reading && !closed { readable() } }
                return
            }
            reads += 1
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                take(count, now: now)
            } else if count == 0 {
                endOfInput = true
                setReading(false)
                // A client that closed its end entirely (not only its sending side) can take no
                // answer: its slot goes now, not once the commit its answers wait for comes (while
                // the database is locked, reconnecting producers would fill `max_connections`).
                if Self.peerGone(fd) { return close() }
                releaseReplies()
            } else if errno == EAGAIN {
                return
            } else if errno != EINTR {
                return close()
            }
        }
    }

    /// Whether the peer closed both directions: a Unix socket reports `POLLHUP` only then (a
    /// `shutdown(SHUT_WR)` of the peer is an end of input alone).
    private static func peerGone(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLHUP) != 0
    }

    /// Parses, applies and answers the `count` bytes just read into the server's buffer.
    private func take(_ count: Int, now: Int64) {
        lastActivity = .now
        server.parsedLines.removeAll(keepingCapacity: true)
        split(UnsafeRawBufferPointer(rebasing: server.readBuffer[..<count]), now: now, into: &server.parsedLines)
        if !server.parsedLines.isEmpty {
            server.pipeline.apply(server.parsedLines, now: now, into: &waiting)
        }
        releaseReplies()  // may stop reading (backpressure) or close the connection
    }

    /// Bytes a stop reads at a time (`readBeforeStopping`).
    private static let readAtStop = 64 * 1024

    /// Shutdown: reads what had arrived when the stop began (the bytes queued on the socket then,
    /// which its buffer bounds: a few hundred KiB) and answers it, so that lines a client wrote
    /// before the stop are not left unanswered; not what comes after. It reads `readAtStop` bytes
    /// at a time, as long as backpressure lets it: a client that leaves its answers unread (a
    /// flood of rejected lines) costs the stop one such read, not its whole socket's worth.
    func readBeforeStopping() {
        var queued: Int32 = 0
        guard reading && !closed, ioctl(fd, UInt(FIONREAD), &queued) == 0 else { return }
        let now = Int64(time(nil))
        var left = Int(queued)
        while left > 0 && reading && !closed {
            let count = Glibc.read(fd, server.readBuffer.baseAddress, min(left, Self.readAtStop))
            guard count > 0 else { return }
            take(count, now: now)
            left -= count
        }
    }

    /// Cuts `bytes` into lines and parses each complete one.
    private func split(_ bytes: UnsafeRawBufferPointer, now: Int64, into lines: inout [Result<Event, Rejection>]) {
        let maxLine = server.maxLineBytes
        // Copied once per read, not per line (it holds the visitor key: about 2% of ingest's CPU).
        let parser = server.parser
        var start = 0
        while start < bytes.count {
            guard let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) else {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
                if discarding { return }
                if partial.count + rest.count > maxLine {
                    lines.append(.failure(Self.tooLong(maxLine)))
                    partial.removeAll()
                    discarding = true
                } else {
                    partial.append(contentsOf: rest)
                }
                return
            }
            let newline = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<newline])
            start = newline + 1
            if discarding {
                discarding = false
                continue
            }
            if partial.isEmpty {
                parseLine(piece, parser, maxLine: maxLine, now: now, into: &lines)
            } else {
                partial.append(contentsOf: piece)
                partial.withUnsafeBytes { parseLine($0, parser, maxLine: maxLine, now: now, into: &lines) }
                partial.removeAll(keepingCapacity: partial.capacity <= 65536)
            }
        }
    }

    private func parseLine(_ line: UnsafeRawBufferPointer, _ parser: EventParser, maxLine: Int, now: Int64,
                           into lines: inout [Result<Event, Rejection>]) {
        if line.isEmpty || (line.count == 1 && line[0] == 0x0D) { return }
        if line.count > maxLine {
            lines.append(.failure(Self.tooLong(maxLine)))
        } else {
            lines.append(parser.parse(line, now: now))
        }
    }

    private static func tooLong(_ limit: Int) -> Rejection {
        Rejection(.lineTooLong, "line is longer than max_line_bytes (\(limit) bytes); the rest of it is discarded")
    }

    // MARK: Writing

    /// Moves replies whose commit has happened to the output, then writes.
    func releaseReplies() {
        guard !closed else { return }
        let committed = server.committedGeneration
        waiting.release(upTo: committed, into: &output)
        writeOutput()
    }

    private func writeOutput() {
        while outputSent < output.count {
            let sent = output.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + outputSent, bytes.count - outputSent, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outputSent += sent
                lastActivity = .now
            } else if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                break
            } else {
                return close()
            }
        }
        if outputSent == output.count {
            output.removeAll(keepingCapacity: output.capacity <= Self.outputLimit)
            outputSent = 0
        }
        setWriting(outputSent < output.count)
        let backlog = output.count - outputSent
        if backlog > Self.outputLimit || waiting.count > Self.waitingLimit {
            setReading(false)
        } else if !endOfInput && backlog <= Self.outputLimit / 2 {
            setReading(true)
        }
        closeIfDone()
    }

    // MARK: Lifecycle

    private func setReading(_ on: Bool) { sources.setReading(on) }
    private func setWriting(_ on: Bool) { sources.setWriting(on) }

    private func closeIfDone() {
        if endOfInput && isIdle { close() }
    }

    /// Closes the connection; replies not yet written are dropped (the peer has gone).
    func close() {
        guard !closed else { return }
        sources.cancel()
        server.connectionClosed(id)
    }
}
