import Glibc

/// The transport ceiling: how fast a trivial reader drains the same byte streams from Unix sockets
/// on this machine (one socketpair per connection, a writer thread, and a reader that only counts
/// bytes, on one thread like the daemon's ingest queue). The daemon's rate is read against it.
enum TransportCeiling {
    struct Result: Codable {
        var seconds: Double
        var eventsPerSecond: Double
        var bytesPerSecond: Double
    }

    static func measure(_ workload: Workload) throws -> Result {
        var pairs: [(reader: Int32, writer: Int32)] = []
        defer { for pair in pairs { close(pair.reader); close(pair.writer) } }
        for _ in workload.streams {
            let (reader, writer) = try UnixSocket.pair()
            pairs.append((reader, writer))
            UnixSocket.setNonBlocking(reader)
            UnixSocket.setNonBlocking(writer)
        }
        let writers = pairs.map(\.writer)
        let total = workload.bytes
        let start = monotonicNanoseconds()
        let writer = BackgroundThread { write(workload, to: writers) }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var received = 0
        var pollSet = pairs.map { pollfd(fd: $0.reader, events: Int16(POLLIN), revents: 0) }
        while received < total {
            guard poll(&pollSet, nfds_t(pollSet.count), 10_000) > 0 else {
                throw UnixSocket.Failure("transport ceiling: reader stalled", errno: ETIMEDOUT)
            }
            for index in pollSet.indices where pollSet[index].revents != 0 {
                while true {
                    let count = read(pollSet[index].fd, buffer.baseAddress, buffer.count)
                    if count <= 0 { break }
                    received += count
                    if count < buffer.count { break }
                }
            }
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        writer.join()
        return Result(seconds: seconds, eventsPerSecond: Double(workload.events) / seconds,
                      bytesPerSecond: Double(total) / seconds)
    }

    /// Writes every stream to its socket as fast as the reader drains them.
    private static func write(_ workload: Workload, to writers: [Int32]) {
        var sent = [Int](repeating: 0, count: writers.count)
        var pollSet = writers.map { pollfd(fd: $0, events: Int16(POLLOUT), revents: 0) }
        while true {
            var pending = false
            for index in writers.indices {
                let bytes = workload.streams[index].bytes
                pollSet[index].fd = sent[index] < bytes.count ? writers[index] : -1
                pending = pending || sent[index] < bytes.count
            }
            guard pending else { return }
            guard poll(&pollSet, nfds_t(pollSet.count), 10_000) > 0 else { return }
            for index in writers.indices where pollSet[index].revents != 0 {
                let bytes = workload.streams[index].bytes
                while sent[index] < bytes.count {
                    let count = bytes.withUnsafeBytes {
                        send(writers[index], $0.baseAddress! + sent[index], min($0.count - sent[index], 256 * 1024),
                             Int32(MSG_NOSIGNAL))
                    }
                    if count <= 0 { break }
                    sent[index] += count
                }
            }
        }
    }
}
