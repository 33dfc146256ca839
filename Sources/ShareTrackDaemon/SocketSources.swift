import Dispatch
import Glibc

/// The read and write dispatch sources of one non-blocking connected socket, with the on/off
/// state each connection needs: reading starts on, writing off, and `cancel()` ends both and
/// closes the descriptor once both have finished.
///
/// `@unchecked Sendable`: used only on `queue`, like the connection that owns it.
final class SocketSources: @unchecked Sendable {
    let fd: Int32
    private let queue: DispatchQueue
    private let read: any DispatchSourceRead
    private let write: any DispatchSourceWrite
    private(set) var reading = true
    private(set) var writing = false
    private(set) var cancelled = false
    private var finished = 0
    /// The owner's read handler; dropped on cancel, which ends the owner ↔ sources cycle.
    private var readable: (@Sendable () -> Void)?

    init(fd: Int32, queue: DispatchQueue) {
        self.fd = fd
        self.queue = queue
        read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
    }

    /// Starts reading; `readable` and `writable` run on the queue when the socket is ready.
    func start(readable: @escaping @Sendable () -> Void, writable: @escaping @Sendable () -> Void) {
        self.readable = readable
        read.setEventHandler(handler: readable)
        write.setEventHandler(handler: writable)
        for source in [read, write] as [any DispatchSourceProtocol] {
            source.setCancelHandler { [self] in
                finished += 1
                if finished == 2 { Glibc.close(fd) }
            }
        }
        read.resume()
    }

    func setReading(_ on: Bool) {
        guard on != reading, !cancelled else { return }
        reading = on
        if on {
            read.resume()
            // A peer that hung up while the source was suspended is not reported again: look now.
            queue.async { [self] in if reading && !cancelled { readable?() } }
        } else {
            read.suspend()
        }
    }

    func setWriting(_ on: Bool) {
        guard on != writing, !cancelled else { return }
        writing = on
        if on { write.resume() } else { write.suspend() }
    }

    /// Ends both sources; the descriptor is closed once they have finished.
    func cancel() {
        guard !cancelled else { return }
        // A suspended source must be resumed before it is cancelled.
        if !reading { read.resume() }
        if !writing { write.resume() }
        cancelled = true
        readable = nil
        read.cancel()
        write.cancel()
    }
}
