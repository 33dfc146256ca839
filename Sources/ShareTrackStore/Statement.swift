import CSQLite

/// A prepared statement: bind by 1-based index, step through rows, read columns by 0-based index.
public final class Statement {
    private let database: Database
    private let handle: OpaquePointer

    init(database: Database, sql: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        try database.check(sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil))
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement: \(sql)") }
        self.database = database
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    public func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
        guard let value else { return try database.check(sqlite3_bind_null(handle, index)) }
        try database.check(sqlite3_bind_text(handle, index, value, -1, csqlite_transient()))
    }

    public func bind(_ value: Int64?, at index: Int32) throws(SQLiteError) {
        guard let value else { return try database.check(sqlite3_bind_null(handle, index)) }
        try database.check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try database.check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds `values` to parameters 1, 2, ... in order.
    public func bind(_ values: [Value]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text): try bind(text, at: index)
            case .integer(let integer): try bind(integer, at: index)
            case .real(let real): try bind(real, at: index)
            }
        }
    }

    /// Advances to the next row; `false` when there are no more.
    public func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        try database.check(status)
        return status == SQLITE_ROW
    }

    /// Steps a statement that returns no rows, then resets it for the next use.
    public func run() throws(SQLiteError) {
        defer { reset() }
        _ = try step()
    }

    /// Binds UTF-8 text without SQLite copying it: the caller keeps the bytes valid and unchanged
    /// until the statement has been stepped and reset.
    func bindUnowned(_ text: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        guard let base = text.baseAddress, !text.isEmpty else { return try bind("", at: index) }
        try database.check(sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(text.count), nil))
    }

    /// Binds a blob without SQLite copying it, on the same terms as `bindUnowned(_:at:)`.
    func bindUnowned(blob: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        // (A blob without a base address would bind NULL, not an empty blob.)
        guard let base = blob.baseAddress, !blob.isEmpty else { return try database.check(sqlite3_bind_zeroblob(handle, index, 0)) }
        try database.check(sqlite3_bind_blob(handle, index, base, Int32(blob.count), nil))
    }

    /// Steps a statement that returns no rows, then resets it keeping its bindings (for callers
    /// that bind every parameter before each run).
    func execute() throws(SQLiteError) {
        _ = try hasRow()
    }

    /// Whether the statement returns a row; then resets it keeping its bindings (for a lookup asked
    /// many times, its common parameters bound once).
    func hasRow() throws(SQLiteError) -> Bool {
        defer { sqlite3_reset(handle) }
        return try step()
    }

    /// Makes the statement ready to run again, with its bindings cleared.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// All rows, each turned into a value by `row`; the statement is reset afterwards.
    public func rows<Row>(_ row: (Statement) throws -> Row) throws -> [Row] {
        var result: [Row] = []
        try forEachRow { result.append(try row($0)) }
        return result
    }

    /// Runs `body` on each row, none kept; the statement is reset afterwards.
    public func forEachRow(_ body: (Statement) throws -> Void) throws {
        defer { reset() }
        while try step() { try body(self) }
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// A blob column in place: the bytes are valid until the next step or reset.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
    }

    public func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Compares the column's bytes in place, without making a `String` of them.
    public func text(_ column: Int32, is text: String) -> Bool {
        guard let bytes = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        var text = text
        return text.withUTF8 { $0.elementsEqual(UnsafeBufferPointer(start: bytes, count: count)) }
    }

    /// A bound parameter value.
    public enum Value: Sendable, Equatable {
        case text(String?)
        case integer(Int64?)
        case real(Double)
    }
}
