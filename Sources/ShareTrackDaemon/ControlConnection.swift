import Dispatch
import Glibc

/// One `sharectl` connection: reads a request line, lets the server answer it, writes the answer,
/// and reads the next. One request at a time; the connection closes when the client does.
///
/// `@unchecked Sendable`: all mutable state is touched only on the control queue (`queue`).
final class ControlConnection: @unchecked Sendable {
    /// A request line longer than this is refused and the connection closed.
    static let maxRequestBytes = 1 << 20

    let peer: (uid: uid_t, gid: gid_t)?
    private let queue: DispatchQueue
    private let handle: @Sendable (ControlConnection, [UInt8]) -> Void
    private let sources: SocketSources
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var busy = false
    private var endOfInput = false
    /// Told when the part of a streamed answer last given to `send` has been written out.
    private var drained: (@Sendable (Bool) -> Void)?

    init(fd: Int32, queue: DispatchQueue, handle: @escaping @Sendable (ControlConnection, [UInt8]) -> Void) {
        self.queue = queue
        self.handle = handle
        self.peer = UnixSocket.peerCredentials(fd)
        sources = SocketSources(fd: fd, queue: queue)
    }

    func start() {
        sources.start(readable: { [self] in readable() }, writable: { [self] in writeOutput() })
    }

    private var fd: Int32 { sources.fd }
    private var reading: Bool { sources.reading }
    private var closed: Bool { sources.cancelled }

    /// Sends the answer to the current request; may be called from any queue.
    func reply(_ line: [UInt8]) {
        queue.async { [self] in
            output += line
            busy = false
            writeOutput()
            nextRequest()
        }
    }

    /// Sends a part of a streamed answer (the request stays current until `reply`); `drained` runs
    /// once it is all written, with `false` if the connection closed first. May be called from any queue.
    func send(_ part: [UInt8], drained: @escaping @Sendable (Bool) -> Void) {
        queue.async { [self] in
            guard !closed else { return drained(false) }
            output += part
            self.drained = drained
            writeOutput()
        }
    }

    /// Reads until the socket has nothing more: a peer that writes and hangs up at once is
    /// reported as one event, after which the source fires no more.
    private func readable() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while reading && !closed && input.count <= Self.maxRequestBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                input += chunk[..<count]
            } else if count == 0 {
                endOfInput = true
                setReading(false)
            } else if errno == EAGAIN {
                break
            } else if errno != EINTR {
                return close()
            }
        }
        nextRequest()
    }

    private func nextRequest() {
        guard !busy, !closed else { return }
        if let newline = input.firstIndex(of: 0x0A) {
            let line = Array(input[..<newline])
            input.removeSubrange(...newline)
            busy = true
            setReading(false)
            handle(self, line)
        } else if input.count > Self.maxRequestBytes {
            close()
        } else if endOfInput {
            if output.isEmpty { close() }
        } else {
            setReading(true)
        }
    }

    private func writeOutput() {
        while !output.isEmpty {
            let sent = output.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                output.removeFirst(sent)
            } else if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                break
            } else {
                return close()
            }
        }
        setWriting(!output.isEmpty)
        if output.isEmpty { finishSending(written: true) }
        if output.isEmpty && endOfInput && !busy { close() }
    }

    private func setReading(_ on: Bool) { sources.setReading(on) }
    private func setWriting(_ on: Bool) { sources.setWriting(on) }

    func close() {
        sources.cancel()
        finishSending(written: false)
    }

    private func finishSending(written: Bool) {
        let waiting = drained
        drained = nil
        waiting?(written)
    }
}
