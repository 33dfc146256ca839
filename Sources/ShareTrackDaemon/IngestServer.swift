import Dispatch
import Glibc
import ShareTrackCore
import Synchronization

/// Accepts producer connections on the ingest socket and owns them, all on one serial queue.
///
/// `@unchecked Sendable`: the mutable state below is touched only on `queue`; other threads reach
/// it through `queue.async`.
final class IngestServer: @unchecked Sendable {
    let queue = DispatchQueue(label: "sharetrack.ingest")
    let loop: EventLoop
    let pipeline: Pipeline
    let stats: DaemonStats
    let parser: EventParser
    /// One read buffer shared by every connection: reads happen one at a time on `queue`.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    /// The parsed lines of the read being handled, likewise shared: kept with its capacity, so
    /// that a read's lines do not grow (and page in) a fresh array each time.
    var parsedLines: [Result<Event, Rejection>] = []

    private(set) var maxLineBytes: Int
    private var maxConnections: Int
    private var idleTimeout: Double
    private(set) var committedGeneration: UInt64
    private var listener: Listener?
    private var connections: [Int: IngestConnection] = [:]
    private var nextID = 0
    /// Set by shutdown before it waits for `queue`: reads already queued behind a busy queue (many
    /// clients' buffers) then stop at once instead of delaying the stop by parsing them all.
    private let stopping = Atomic<Bool>(false)
    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    init(pipeline: Pipeline, stats: DaemonStats, settings: Settings, committedGeneration: UInt64,
         visitorKey: VisitorKey, loop: EventLoop) {
        self.pipeline = pipeline
        self.parser = EventParser(visitorKey: visitorKey)
        self.stats = stats
        self.loop = loop
        self.maxLineBytes = settings.maxLineBytes
        self.maxConnections = settings.maxConnections
        self.idleTimeout = settings.idleTimeout.seconds
        self.committedGeneration = committedGeneration
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Starts accepting on a listening, non-blocking socket.
    func start(listening fd: Int32) {
        queue.async { [self] in
            let listener = Listener(name: "ingest", fd: fd, queue: queue, loop: loop, refusal: ResponseLine.rejected(
                Rejection(.overloaded, "the daemon is out of file descriptors; retry later")), refused: stats.connectionRefused)
            listener.start { [self] in accept($0) }
            self.listener = listener
        }
    }

    func apply(_ settings: Settings) {
        queue.async { [self] in
            maxLineBytes = settings.maxLineBytes
            maxConnections = settings.maxConnections
            idleTimeout = settings.idleTimeout.seconds
        }
    }

    /// Closes the connections that have been idle for `idle_timeout`.
    func closeIdleConnections() {
        queue.async { [self] in
            guard idleTimeout > 0 else { return }
            let now = ContinuousClock.now
            for connection in connections.values { connection.closeIfIdle(now: now, timeout: idleTimeout) }
        }
    }

    /// A batch committed: release the replies that waited for it.
    func committed(_ generation: UInt64) {
        queue.async { [self] in
            committedGeneration = max(committedGeneration, generation)
            for connection in connections.values { connection.releaseReplies() }
        }
    }

    /// Shutdown, first step: no new connections, no new lines. What has arrived on each connection
    /// is read first (`IngestConnection.readBeforeStopping`): a line a client wrote before the
    /// stop is answered, not left unread.
    func stopAccepting() {
        // First: the reads queued behind a busy queue stop at once (they may be many).
        stopping.store(true, ordering: .relaxed)
        queue.sync {
            listener?.cancel()
            listener = nil
            for connection in connections.values { connection.readBeforeStopping() }
            for connection in connections.values { connection.stopReading() }
        }
    }

    /// Every reply has been written (or its peer has gone).
    var isDrained: Bool {
        queue.sync { connections.values.allSatisfy(\.isIdle) }
    }

    func connectionClosed(_ id: Int) {
        connections[id] = nil
        stats.connectionClosed()
    }

    private func accept(_ fd: Int32) {
        if connections.count >= maxConnections {
            // Connections whose peers have hung up may not have been read yet: read them first, so
            // that only open connections count.
            for connection in connections.values { connection.readNow() }
        }
        guard connections.count < maxConnections else {
            stats.connectionRefused()
            return Listener.refuse(fd, ResponseLine.rejected(Rejection(
                .overloaded, "too many connections (max_connections is \(maxConnections)); retry later")))
        }
        nextID += 1
        let connection = IngestConnection(id: nextID, fd: fd, server: self)
        connections[nextID] = connection
        stats.connectionOpened()
        connection.start()
    }
}
