import Glibc

/// Reads lines from a byte stream as they arrive, one at a time: the daemon's answers from a
/// connection, or `send`'s events from its input.
struct LineReader {
    private let receive: (inout [UInt8]) throws(Failure) -> Bool
    private var buffer: [UInt8] = []
    private var start = 0

    init(_ connection: SocketConnection) {
        receive = connection.receive
    }

    /// The lines of the open file `descriptor` (`name` for errors).
    init(descriptor: Int32, name: String) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        receive = { (buffer: inout [UInt8]) throws(Failure) -> Bool in
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Failure("cannot read \(name): \(String(cString: strerror(errno)))", exitCode: 66)
                }
                buffer.append(contentsOf: chunk[..<count])
                return count > 0
            }
        }
    }

    /// The next line (without its `\n`), `nil` once the stream has ended (see `rest`).
    mutating func next() throws(Failure) -> ArraySlice<UInt8>? {
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                return buffer[start..<newline]
            }
            buffer.removeFirst(start)
            start = 0
            searched = buffer.count
            guard try receive(&buffer) else { return nil }
        }
    }

    /// Whether `next()` has a whole line to return without reading.
    var hasLine: Bool {
        buffer[start...].contains(0x0A)
    }

    /// Once `next()` has returned nil: what the stream ended with after its last `\n`.
    var rest: ArraySlice<UInt8> {
        buffer[start...]
    }
}
