import Dispatch
import Glibc
import Logging

/// A listening socket on the `EventLoop`: accepts every waiting connection and hands it to
/// `accept` (non-blocking, close-on-exec), all on `queue`.
///
/// Out of descriptors (`EMFILE`, `ENFILE`), `accept` fails while the connection stays queued, so
/// the socket stays readable: retrying at once would spin. Instead the listener frees the one
/// descriptor it keeps in reserve, accepts the connection, tells it `refusal` and closes it, takes
/// its reserve back, and logs (at most every 10 s); if even that fails, it stops listening for
/// `pause`. The queued clients learn why instead of hanging.
///
/// `@unchecked Sendable`: used only on `queue`.
final class Listener: @unchecked Sendable {
    static let pause = 0.25
    private static let logEvery = Duration.seconds(10)

    private let name: String
    private let queue: DispatchQueue
    private let sources: SocketSources
    private let refusal: [UInt8]
    /// Called for each connection refused so (the ingest socket's count in `status`).
    private let refused: () -> Void
    private let logger = Logger(label: "sharetrackd")
    private var reserve = Listener.openReserve()
    private var refusedSinceLog = 0
    private var lastLog: ContinuousClock.Instant?

    init(name: String, fd: Int32, queue: DispatchQueue, loop: EventLoop, refusal: [UInt8],
         refused: @escaping () -> Void = {}) {
        self.name = name
        self.queue = queue
        self.refusal = refusal
        self.refused = refused
        sources = SocketSources(fd: fd, queue: queue, loop: loop)
    }

    func start(accept: @escaping (Int32) -> Void) {
        sources.start(readable: { [self] in acceptAll(accept) }, writable: {})
    }

    func cancel() {
        sources.cancel()
        if reserve >= 0 { Glibc.close(reserve) }
        reserve = -1
    }

    /// Writes `line` to a connection that will not be served, and closes it.
    static func refuse(_ fd: Int32, _ line: [UInt8]) {
        UnixSocket.sendLast(fd, line)
        Glibc.close(fd)
    }

    private func acceptAll(_ accept: (Int32) -> Void) {
        while sources.reading && !sources.cancelled {
            let fd = UnixSocket.accept(sources.fd)
            if fd >= 0 {
                accept(fd)
            } else if errno == EMFILE || errno == ENFILE {
                outOfDescriptors(errno)
            } else if errno != EINTR && errno != ECONNABORTED {
                return  // EAGAIN: none waiting
            }
        }
    }

    private func outOfDescriptors(_ error: Int32) {
        if reserve >= 0 { Glibc.close(reserve) }
        let fd = UnixSocket.accept(sources.fd)
        if fd >= 0 {
            Self.refuse(fd, refusal)
            refused()
            refusedSinceLog += 1
        }
        reserve = Self.openReserve()
        let now = ContinuousClock.now
        if lastLog.isDue(every: Self.logEvery, now: now) {
            logger.warning("out of file descriptors: refusing \(name) connections", metadata: [
                "error": "\(String(cString: strerror(error)))", "refused": "\(refusedSinceLog)",
            ])
            lastLog = now
            refusedSinceLog = 0
        }
        if fd < 0 {
            sources.setReading(false)
            queue.asyncAfter(deadline: .now() + Self.pause) { [self] in sources.setReading(true) }
        }
    }

    private static func openReserve() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
