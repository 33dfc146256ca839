import Dispatch
import Glibc
import ShareTrackCore

/// Accepts producer connections on the ingest socket and owns them, all on one serial queue.
///
/// `@unchecked Sendable`: the mutable state below is touched only on `queue`; other threads reach
/// it through `queue.async`.
final class IngestServer: @unchecked Sendable {
    let queue = DispatchQueue(label: "sharetrack.ingest")
    let pipeline: Pipeline
    let stats: DaemonStats
    let parser: EventParser
    /// One read buffer shared by every connection: reads happen one at a time on `queue`.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    private(set) var maxLineBytes: Int
    private var maxConnections: Int
    private(set) var committedGeneration: UInt64
    private var listener: (any DispatchSourceRead)?
    private var connections: [Int: IngestConnection] = [:]
    private var nextID = 0

    init(pipeline: Pipeline, stats: DaemonStats, settings: Settings, committedGeneration: UInt64,
         visitorKey: VisitorKey) {
        self.pipeline = pipeline
        self.parser = EventParser(visitorKey: visitorKey)
        self.stats = stats
        self.maxLineBytes = settings.maxLineBytes
        self.maxConnections = settings.maxConnections
        self.committedGeneration = committedGeneration
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Starts accepting on a listening, non-blocking socket.
    func start(listening fd: Int32) {
        queue.async { [self] in
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [self] in acceptAll(fd) }
            source.setCancelHandler { Glibc.close(fd) }
            listener = source
            source.resume()
        }
    }

    func apply(_ settings: Settings) {
        queue.async { [self] in
            maxLineBytes = settings.maxLineBytes
            maxConnections = settings.maxConnections
        }
    }

    /// A batch committed: release the replies that waited for it.
    func committed(_ generation: UInt64) {
        queue.async { [self] in
            committedGeneration = max(committedGeneration, generation)
            for connection in connections.values { connection.releaseReplies() }
        }
    }

    /// Shutdown, first step: no new connections, no new lines.
    func stopAccepting() {
        queue.sync {
            listener?.cancel()
            listener = nil
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

    private func acceptAll(_ listener: Int32) {
        while let fd = UnixSocket.accept(listener) {
            guard connections.count < maxConnections else {
                refuse(fd)
                continue
            }
            nextID += 1
            let connection = IngestConnection(id: nextID, fd: fd, server: self)
            connections[nextID] = connection
            stats.connectionOpened()
            connection.start()
        }
    }

    /// Tells a client over `max_connections` why, and hangs up.
    private func refuse(_ fd: Int32) {
        let line = ResponseLine.rejected(Rejection(
            .overloaded, "too many connections (max_connections is \(maxConnections)); retry later"))
        _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        stats.connectionRefused()
        Glibc.close(fd)
    }
}
