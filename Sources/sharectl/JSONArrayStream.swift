/// `export --json` to stdout: the NDJSON rows as they stream, turned into one JSON array (the
/// contract's "one JSON document on stdout"), without holding them: a row's newline is written
/// as `,\n` only once another row follows.
final class JSONArrayStream {
    private let output: OutputFile
    private var started = false
    /// A row ended, and its newline is held back until it is known whether another follows.
    private var rowEnded = false

    init(_ output: OutputFile) {
        self.output = output
    }

    func write(_ bytes: [UInt8]) throws(Failure) {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count + 64)
        if !started { text.append(contentsOf: "[\n".utf8) }
        started = true
        var start = bytes.startIndex
        while start < bytes.endIndex {
            if rowEnded { text.append(contentsOf: ",\n".utf8) }
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            text += bytes[start..<end]
            rowEnded = end < bytes.endIndex
            start = end == bytes.endIndex ? end : end + 1
        }
        try output.write(text)
    }

    /// Closes the array (`[]` when there was no row).
    func finish() throws(Failure) {
        try output.write(Array(((started ? "" : "[") + (rowEnded ? "\n]\n" : "]\n")).utf8))
    }
}
