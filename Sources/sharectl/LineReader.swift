/// Reads the daemon's answer lines from a connection, one at a time.
struct LineReader {
    let connection: SocketConnection
    private var buffer: [UInt8] = []
    private var start = 0

    init(_ connection: SocketConnection) {
        self.connection = connection
    }

    /// The next line (without its `\n`), `nil` once the daemon has closed the connection.
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
            guard try connection.receive(into: &buffer) else { return nil }
        }
    }
}
