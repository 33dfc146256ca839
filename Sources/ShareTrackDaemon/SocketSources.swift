import Dispatch
import CEpoll
import Glibc

/// The readiness of one non-blocking socket on the `EventLoop`, with the on/off state each
/// connection needs: reading starts on, writing off, and `cancel()` stops watching and closes the
/// descriptor. Handlers run on `queue`.
///
/// `@unchecked Sendable`: used only on `queue`, like the connection that owns it (the loop's thread
/// only calls `queue.async`).
final class SocketSources: @unchecked Sendable {
    let fd: Int32
    private let queue: DispatchQueue
    private let loop: EventLoop
    private(set) var reading = true
    private(set) var writing = false
    private(set) var cancelled = false
    /// The loop's registration while `fd` is watched (it is not while neither reading nor writing:
    /// epoll would still report a hang-up, again and again).
    private var registration: UInt64?
    /// The owner's handlers; dropped on cancel, which ends the owner ↔ sources cycle.
    private var readable: (() -> Void)?
    private var writable: (() -> Void)?

    init(fd: Int32, queue: DispatchQueue, loop: EventLoop) {
        self.fd = fd
        self.queue = queue
        self.loop = loop
    }

    /// Starts reading; `readable` and `writable` run on the queue when the socket is ready.
    func start(readable: @escaping () -> Void, writable: @escaping () -> Void) {
        self.readable = readable
        self.writable = writable
        arm()
    }

    func setReading(_ on: Bool) {
        guard on != reading, !cancelled else { return }
        reading = on
        arm()
    }

    func setWriting(_ on: Bool) {
        guard on != writing, !cancelled else { return }
        writing = on
        arm()
    }

    /// Stops watching and closes the descriptor.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        readable = nil
        writable = nil
        if let registration { loop.remove(fd, id: registration) }
        registration = nil
        Glibc.close(fd)
    }

    /// An event from the loop: the registration is disarmed until `arm()`.
    private func handle(_ events: UInt32) {
        guard !cancelled else { return }
        let failed = events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
        if reading && (failed || events & EPOLLIN.rawValue != 0) { readable?() }
        if writing && !cancelled && (failed || events & EPOLLOUT.rawValue != 0) { writable?() }
        arm()
    }

    /// Watches for what is wanted now (level-triggered: what is still ready is reported again).
    private func arm() {
        guard !cancelled else { return }
        let events = (reading ? EPOLLIN.rawValue : 0) | (writing ? EPOLLOUT.rawValue : 0)
        switch (registration, events) {
        case (let id?, 0):
            loop.remove(fd, id: id)
            registration = nil
        case (let id?, _):
            loop.modify(fd, id: id, events: events)
        case (nil, 0):
            break
        case (nil, _):
            registration = loop.add(fd, events: events) { [queue, self] events in
                queue.async { self.handle(events) }
            }
        }
    }
}
