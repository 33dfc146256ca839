import Dispatch
import Glibc
import ShareTrackCore

/// One `sharectl` connection: reads a request line, lets the server answer it, writes the answer,
/// and reads the next. One request at a time, and the next only once the answer is written: a
/// client that does not read its answers is not read from either. The connection closes when the
/// client does.
///
/// `@unchecked Sendable`: all mutable state is touched only on the control queue (`queue`).
final class ControlConnection: @unchecked Sendable {
    /// A request line longer than this is answered `bad_request` and the connection closed.
    static let maxRequestBytes = 16 * 1024
    /// A request whose first bytes came this long ago and that has not ended yet is answered
    /// `bad_request` and the connection closed.
    static let requestTimeout = Duration.seconds(10)

    let id: Int
    let peer: (uid: uid_t, gid: gid_t)?
    private let queue: DispatchQueue
    private let handle: (ControlConnection, [UInt8]) -> Void
    private let closed: (ControlConnection) -> Void
    private let sources: SocketSources
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var busy = false
    private var endOfInput = false
    /// When the client last sent anything, and when the request now in `input` began.
    private var lastInput = ContinuousClock.now
    private var requestStarted: ContinuousClock.Instant?
    /// When the client last took bytes of a streamed answer, or its next part began to wait.
    private var lastOutput = ContinuousClock.now
    /// Whether the client took bytes of a streamed answer since the last stall check.
    private var sendQueue = SendQueueProgress()
    /// Told when the part of a streamed answer last given to `send` has been written out.
    private var drained: (@Sendable (Bool) -> Void)?
    /// Whether a streamed answer (an export) is under way: from its first part to its end
    /// (`reply`), also while its last part is written out and the next is being made.
    private(set) var isStreaming = false
    /// Whether the streamed answer under way was cut short (`cut(ending:)`): it takes no more parts.
    private var cutShort = false

    init(id: Int, fd: Int32, queue: DispatchQueue, loop: EventLoop,
         handle: @escaping (ControlConnection, [UInt8]) -> Void, closed: @escaping (ControlConnection) -> Void) {
        self.id = id
        self.queue = queue
        self.handle = handle
        self.closed = closed
        self.peer = UnixSocket.peerCredentials(fd)
        sources = SocketSources(fd: fd, queue: queue, loop: loop)
    }

    func start() {
        sources.start(readable: { [self] in readable() }, writable: { [self] in writeOutput() })
    }

    private var fd: Int32 { sources.fd }
    private var isClosed: Bool { sources.cancelled }

    /// Sends the answer to the current request; may be called from any queue.
    func reply(_ line: [UInt8]) {
        queue.async { [self] in
            guard !isClosed, !cutShort else { return }
            output += line
            busy = false
            isStreaming = false
            writeOutput()
        }
    }

    /// Sends a part of a streamed answer (the request stays current until `reply`); `drained` runs
    /// once it is all written, with `false` if the connection closed first. May be called from any queue.
    func send(_ part: [UInt8], drained: @escaping @Sendable (Bool) -> Void) {
        queue.async { [self] in
            guard !isClosed, !cutShort else { return drained(false) }
            if output.isEmpty { lastOutput = .now }
            output += part
            self.drained = drained
            isStreaming = true
            writeOutput()
        }
    }

    /// Marks the current request's answer as streamed from now on, before its first part (on the
    /// control queue, where the request is handled): a cut (`cut(ending:)`) that comes while the
    /// export opens its snapshot and makes that part cuts it too. Marked only at its first part,
    /// an export that took longer than a shutdown's cut to make it was not cut, and its client
    /// took every row (seen with the CPU busy: 36,000 rows over 15 s).
    func beginStream() {
        isStreaming = true
    }

    /// Cuts the streamed answer under way short (on the control queue): the export making it is
    /// told at once that its client is gone, so that it ends with its read transaction; the client
    /// gets the parts already queued for it, then `line` (the answer's end, saying why), and the
    /// connection closes. A client that takes nothing is closed after `idle_timeout`, or
    /// `requestTimeout` if that is shorter or `idle_timeout` is 0 (`closeIfStalled`).
    func cut(ending line: [UInt8]) {
        guard isStreaming, !cutShort, !isClosed else { return }
        cutShort = true
        finishSending(written: false)
        output += line
        writeOutput()
    }

    /// Reads what has arrived (and so sees a hang-up) without waiting for the event loop.
    func readNow() {
        if sources.reading && !isClosed { readable() }
    }

    /// Closes the connection if its request is overdue (begun, not ended: requests it sent whole
    /// wait as long as the client leaves its answers unread), or if the client has neither sent
    /// nor taken anything for `idleTimeout` seconds (0: never) while no request of its is being
    /// answered, or has taken nothing of a streamed answer (an export) for as long: that ends the
    /// export, and the read transaction that kept the database's log from being emptied.
    func closeIfStalled(now: ContinuousClock.Instant, idleTimeout: Double) {
        guard !isClosed else { return }
        // A client that takes its answers a little at a time is taking them (the socket reports
        // room only once most of its buffer has gone).
        if sendQueue.shrank(fd) { lastOutput = now }
        if busy {
            // A stream nobody takes closes at idle_timeout (0: never); one cut short (its end line
            // queued, its export over) within `requestTimeout` whatever that is.
            var limit: Duration? = idleTimeout > 0 ? .seconds(idleTimeout) : nil
            if cutShort { limit = min(limit ?? Self.requestTimeout, Self.requestTimeout) }
            if isStreaming && !output.isEmpty, let limit, now - lastOutput >= limit { close() }
            return
        }
        if let requestStarted, now - requestStarted >= Self.requestTimeout, !input.contains(0x0A) {
            fail("the request did not end (with a newline) within \(Self.requestTimeout.components.seconds) s")
        } else if idleTimeout > 0 && now - max(lastInput, lastOutput) >= .seconds(idleTimeout) {
            close()
        }
    }

    /// Reads until the socket has nothing more or a request's worth is buffered: a peer that
    /// writes and hangs up at once is reported as one event.
    private func readable() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while sources.reading && !isClosed && input.count <= Self.maxRequestBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                lastInput = .now
                if input.isEmpty { requestStarted = lastInput }
                input += chunk[..<count]
            } else if count == 0 {
                endOfInput = true
                sources.setReading(false)
            } else if errno == EAGAIN {
                break
            } else if errno != EINTR {
                return close()
            }
        }
        nextRequest()
    }

    private func nextRequest() {
        guard !busy, !isClosed, output.isEmpty else { return }
        skipBlankLines()
        if let newline = input.firstIndex(of: 0x0A), newline <= Self.maxRequestBytes {
            let line = Array(input[..<newline])
            input.removeSubrange(...newline)
            requestStarted = input.isEmpty ? nil : .now
            busy = true
            sources.setReading(false)
            handle(self, line)
        } else if input.count > Self.maxRequestBytes {
            fail("a request is at most \(Self.maxRequestBytes) bytes")
        } else if endOfInput {
            close()
        } else {
            sources.setReading(true)
        }
    }

    /// Drops the blank lines (empty, or a lone carriage return) before the next request: as on the
    /// ingest socket, they are no requests and get no answer.
    private func skipBlankLines() {
        var start = 0
        while start < input.count {
            if input[start] == 0x0A {
                start += 1
            } else if input[start] == 0x0D, start + 1 < input.count, input[start + 1] == 0x0A {
                start += 2
            } else {
                break
            }
        }
        guard start > 0 else { return }
        input.removeSubrange(..<start)
        if input.isEmpty { requestStarted = nil }
    }

    private func writeOutput() {
        while !output.isEmpty {
            let sent = output.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                output.removeFirst(sent)
                lastOutput = .now
            } else if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                break
            } else {
                return close()
            }
        }
        sources.setWriting(!output.isEmpty)
        if output.isEmpty && cutShort { return close() }
        if output.isEmpty { finishSending(written: true) }
        nextRequest()
    }

    /// Answers `bad_request` (best effort) and closes.
    private func fail(_ message: String) {
        UnixSocket.sendLast(fd, ControlCodec.errorLine(ControlError(.badRequest, message)))
        close()
    }

    func close() {
        guard !isClosed else { return }
        sources.cancel()
        finishSending(written: false)
        closed(self)
    }

    private func finishSending(written: Bool) {
        let waiting = drained
        drained = nil
        waiting?(written)
    }
}
