import ShareTrackCore

/// The visitors a counter row stored (schema version 10): the keyed hashes (`VisitorKey`) of the
/// visitors whose first counted click on the row's share fell in the row's hour, in the row's
/// `visitors` column as one blob of 8 bytes per hash, big-endian, in no particular order (NULL:
/// none; never an empty blob).
///
/// One column of the row each click's counter delta upserts anyway, instead of a row of its own in
/// the `visitors` table with its own primary key and hour index: an apply then writes about half
/// the rows (docs/architecture.md). Only a token's first `TokenState.visitorsInRows` visitors are
/// kept so; any more are kept apart, in `visitors`, where one is found by its key.
public enum VisitorHashes {
    /// The blob of `hashes`.
    static func blob(_ hashes: some Sequence<UInt64>) -> [UInt8] {
        var bytes: [UInt8] = []
        for hash in hashes { append(hash, to: &bytes) }
        return bytes
    }

    /// Sets a counter row's visitors; the parameters are the blob, the token and the hour.
    static let updateSQL = "UPDATE counters SET visitors = ? WHERE token = ? AND hour = ?"

    /// Sets each row's visitors to `hashes` (none: NULL) through `update` (`updateSQL`).
    static func set(_ rows: some Sequence<(token: String, hour: Int64, hashes: [UInt64])>,
                    with update: Statement) throws {
        var binder = RowBinder()
        for row in rows {
            binder.removeAll()
            binder.add(visitors: row.hashes.isEmpty ? nil : row.hashes)
            binder.add(row.token)
            binder.add(row.hour)
            try binder.run(update, 0..<binder.count)
        }
    }

    /// Appends `hash`'s 8 bytes to `bytes`.
    static func append(_ hash: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: hash.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The hashes of a blob (trailing bytes short of a hash are ignored).
    static func hashes(in blob: UnsafeRawBufferPointer) -> [UInt64] {
        (0..<blob.count / 8).map { UInt64(bigEndian: blob.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }

    /// Every visitor pair `database` stores (for tests and inspection): those in counter rows in
    /// the rows' order, each with its row's hour, then those kept apart.
    public static func stored(in database: Database) throws -> [VisitorPair] {
        let rows = try database.prepare(
            "SELECT token, hour, visitors FROM counters WHERE visitors IS NOT NULL ORDER BY token, hour")
        let inRows = try rows.rows { row in
            let token = row.string(0) ?? "", hour = row.int64(1)
            return hashes(in: row.blob(2)).map { VisitorPair(token: token, visitor: $0, hour: hour) }
        }
        let apart = try database.prepare("SELECT token, visitor, hour FROM visitors ORDER BY token, visitor").rows {
            VisitorPair(token: $0.string(0) ?? "", visitor: UInt64(bitPattern: $0.int64(1)), hour: $0.int64(2),
                        apart: true)
        }
        return inRows.flatMap { $0 } + apart
    }
}
