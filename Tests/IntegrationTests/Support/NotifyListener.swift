import Foundation
import Glibc

/// A `NOTIFY_SOCKET` of the test's own: a datagram socket that collects what the daemon tells
/// systemd, each message with the time it arrived.
final class NotifyListener: @unchecked Sendable {
    // @unchecked: `messages` is only touched while holding `lock`; `fd` is immutable.
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var messages: [(time: Date, text: String)] = []
    private var thread: Thread?

    init(directory: String) throws {
        path = directory + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw TestFailure("bind \(path): \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        self.thread = thread
        thread.start()
    }

    deinit {
        thread?.cancel()
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !Thread.current.isCancelled {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            lock.lock()
            messages.append((Date(), text))
            lock.unlock()
        }
        Glibc.close(fd)
    }

    var all: [(time: Date, text: String)] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }

    /// Waits until a message satisfies `match`, and returns it.
    @discardableResult
    func wait(timeout: Double = 20, for match: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = all.first(where: { match($0.text) }) { return found.text }
            usleep(20_000)
        }
        throw TestFailure("no notify message matched within \(timeout) s; got \(all.map(\.text))")
    }

    func count(since: Date, _ match: (String) -> Bool) -> Int {
        all.filter { $0.time >= since && match($0.text) }.count
    }
}
