import Dispatch
import Glibc
import ShareTrackCore

/// Accepts `sharectl` connections on the control socket, at most `maxConnections` at once, and
/// reads and writes them on the control queue, apart from ingest. Answering is the `answer`
/// handler's: it must not block the queue (queries run elsewhere; see `QueryRunner`).
///
/// `@unchecked Sendable`: the mutable state below is touched only on `queue`.
final class ControlServer: @unchecked Sendable {
    static let maxConnections = 64

    let queue = DispatchQueue(label: "sharetrack.control")
    private let loop: EventLoop
    private var idleTimeout: Double
    private var listener: Listener?
    private var connections: [Int: ControlConnection] = [:]
    private var lastID = 0

    init(loop: EventLoop, idleTimeout: Double) {
        self.loop = loop
        self.idleTimeout = idleTimeout
    }

    /// Accepts on a listening socket; `answer` handles each decoded request and must eventually
    /// call `connection.reply`.
    func start(listening fd: Int32, answer: @escaping @Sendable (ControlRequest, ControlConnection) -> Void) {
        queue.async { [self] in
            let listener = Listener(name: "control", fd: fd, queue: queue, loop: loop, refusal: ControlCodec.errorLine(
                ControlError(.busy, "the daemon is out of file descriptors; retry later")))
            listener.start { [self] in accept($0, answer) }
            self.listener = listener
        }
    }

    func stopAccepting() {
        queue.sync {
            listener?.cancel()
            listener = nil
        }
    }

    func setIdleTimeout(_ seconds: Double) {
        queue.async { [self] in idleTimeout = seconds }
    }

    /// Cuts every streamed answer (the exports) short, ending each with `failed` and `why`: at
    /// shutdown, and before an erasure, whose id an export's snapshot may hold and whose database
    /// log they keep from being emptied.
    func cutStreams(_ why: String) {
        let line = ControlCodec.errorLine(ControlError(.failed, why))
        queue.async { [self] in
            for connection in connections.values where connection.isStreaming { connection.cut(ending: line) }
        }
    }

    /// Whether a streamed answer (a cut one writing out its last rows and end line) is under way.
    var hasStreams: Bool {
        queue.sync { connections.values.contains(where: \.isStreaming) }
    }

    /// Closes the connections whose request is overdue or that have been idle for `idle_timeout`.
    func closeStalledConnections() {
        queue.async { [self] in
            let now = ContinuousClock.now
            for connection in connections.values { connection.closeIfStalled(now: now, idleTimeout: idleTimeout) }
        }
    }

    private func accept(_ fd: Int32, _ answer: @escaping @Sendable (ControlRequest, ControlConnection) -> Void) {
        if connections.count >= Self.maxConnections {
            // Connections whose peers have hung up may not have been read yet: read them first.
            for connection in connections.values { connection.readNow() }
        }
        guard connections.count < Self.maxConnections else {
            return Listener.refuse(fd, ControlCodec.errorLine(ControlError(
                .busy, "too many control connections (at most \(Self.maxConnections)); retry later")))
        }
        lastID += 1
        let connection = ControlConnection(id: lastID, fd: fd, queue: queue, loop: loop, handle: { connection, line in
            do throws(ControlError) {
                answer(try ControlCodec.decodeRequest(line), connection)
            } catch {
                connection.reply(ControlCodec.errorLine(error))
            }
        }, closed: { [self] in connections[$0.id] = nil })
        connections[lastID] = connection
        connection.start()
    }
}
