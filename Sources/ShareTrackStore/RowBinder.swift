/// The parameters of one or more rows, bound and run in one go: text and blobs are copied into one
/// buffer that SQLite reads in place (no copy per string on either side), since the buffer outlives
/// the statement's step.
struct RowBinder {
    private enum Parameter {
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
        case null
        case integer(Int64)
    }

    private var text: [UInt8] = []
    private var parameters: [Parameter] = []
    /// Rows ended (`endRow`) and not run yet.
    private var rows = 0

    var count: Int { parameters.count }

    mutating func add(_ value: String?) {
        guard let value else { return parameters.append(.null) }
        let start = text.count
        text.append(contentsOf: value.utf8)
        parameters.append(.text(start: start, count: text.count - start))
    }

    mutating func add(_ value: Int64) {
        parameters.append(.integer(value))
    }

    /// Adds the visitors of a counter row of `hour` as its `VisitorHashes` blobs: the hashes, then
    /// (with `times`) their click times (none: NULL each).
    mutating func add(visitors: [VisitorHashes.Entry]?, hour: Int64, times: Bool = true) {
        guard let visitors else {
            parameters.append(.null)
            if times { parameters.append(.null) }
            return
        }
        var start = text.count
        for visitor in visitors { VisitorHashes.append(visitor.hash, to: &text) }
        parameters.append(.blob(start: start, count: text.count - start))
        guard times else { return }
        start = text.count
        for visitor in visitors { VisitorHashes.append(visitor.time, inHour: hour, to: &text) }
        parameters.append(.blob(start: start, count: text.count - start))
    }

    /// Binds parameters `range` to the statement's parameters 1, 2, ... and runs it.
    func run(_ statement: Statement, _ range: Range<Int>) throws {
        try text.withUnsafeBytes { bytes in
            for (offset, parameter) in parameters[range].enumerated() {
                let index = Int32(offset + 1)
                switch parameter {
                case .text(let start, let count):
                    try statement.bindUnowned(UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), at: index)
                case .blob(let start, let count):
                    try statement.bindUnowned(blob: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), at: index)
                case .null: try statement.bind(nil as String?, at: index)
                case .integer(let value): try statement.bind(value, at: index)
                }
            }
            try statement.execute()
        }
    }

    /// Ends a row; once `Store.chunkRows` rows are bound, runs them with `many` (a statement of
    /// that many rows) and starts again.
    mutating func endRow(many: Statement) throws {
        rows += 1
        guard rows == Store.chunkRows else { return }
        try run(many, 0..<count)
        removeAll()
    }

    /// Runs the rows ended since `many` last ran, one at a time with `one`, and starts again.
    mutating func finish(one: Statement) throws {
        defer { removeAll() }
        guard rows > 0 else { return }
        let columns = count / rows
        for row in 0..<rows {
            try run(one, row * columns ..< (row + 1) * columns)
        }
    }

    mutating func removeAll() {
        text.removeAll(keepingCapacity: true)
        parameters.removeAll(keepingCapacity: true)
        rows = 0
    }
}
