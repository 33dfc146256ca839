import CEpoll
import Glibc
import Synchronization

/// The daemon's own readiness loop for its sockets: one epoll descriptor watched by one thread,
/// which hands each readiness event to the queue of the socket it belongs to.
///
/// Why not a `DispatchSource` per connection: swift-corelibs-libdispatch keeps one shared record
/// per descriptor number for its epoll registrations, and creating and cancelling sources for
/// short-lived connections from several queues at once corrupted it (a use-after-free that
/// crashed the daemon in `_dispatch_unote_register_muxed` under connection churn, and a source
/// registered on a reused descriptor number that never fired, leaving a closed connection counted
/// as open). Here every registration has an id of its own, never reused, that epoll carries back;
/// an event for a registration that is gone finds no handler and is dropped.
///
/// Registrations are one-shot (`EPOLLONESHOT`): after an event the descriptor is disarmed until its
/// owner, having handled it on its queue, arms it again (see `SocketSources`).
final class EventLoop: Sendable {
    private let epoll: Int32
    private let handlers = Mutex<[UInt64: @Sendable (UInt32) -> Void]>([:])
    private let lastID = Atomic<UInt64>(0)

    init() throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SystemError("epoll_create1") }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<EventLoop>.fromOpaque(context!).takeRetainedValue().run()
        }, context)
        guard created == 0 else { throw SystemError("pthread_create", errno: created) }
        pthread_detach(thread)
    }

    /// Watches `fd` for `events` (`EPOLLIN`, `EPOLLOUT`); `handler` runs on the loop's thread and
    /// must only hand the events on. Returns the registration's id.
    func add(_ fd: Int32, events: UInt32, handler: @escaping @Sendable (UInt32) -> Void) -> UInt64 {
        let id = lastID.add(1, ordering: .relaxed).newValue
        handlers.withLock { $0[id] = handler }
        control(EPOLL_CTL_ADD, fd, id, events)
        return id
    }

    /// Arms registration `id` of `fd` again, for `events`.
    func modify(_ fd: Int32, id: UInt64, events: UInt32) {
        control(EPOLL_CTL_MOD, fd, id, events)
    }

    /// Stops watching `fd` for registration `id`, before `fd` is closed.
    func remove(_ fd: Int32, id: UInt64) {
        handlers.withLock { $0[id] = nil }
        control(EPOLL_CTL_DEL, fd, id, 0)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ id: UInt64, _ events: UInt32) {
        var event = epoll_event()
        event.events = events | EPOLLONESHOT.rawValue
        event.data.u64 = id
        // Fails only for a descriptor that is not open or not watched: nothing to do then.
        _ = epoll_ctl(epoll, operation, fd, &event)
    }

    private func run() -> Never {
        // Signals are taken by the main thread (`BlockedSignals`): none may be delivered to this one.
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, nil)
        // One buffer for the life of the thread (an array passed as `&events` while a slice of it
        // was alive was copied at every call, and the copies were never freed: the loop never returns).
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        while true {
            let count = epoll_wait(epoll, events.baseAddress, Int32(events.count), -1)
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                handlers.withLock { $0[event.data.u64] }?(event.events)
            }
        }
    }
}
