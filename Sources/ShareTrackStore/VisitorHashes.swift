import ShareTrackCore

/// The visitors a counter row stored (schema version 10): the keyed hashes (`VisitorKey`) of the
/// visitors whose first counted click on the row's share fell in the row's hour, in the row's
/// `visitors` column as one blob of 8 bytes per hash, big-endian, in no particular order (NULL:
/// none; never an empty blob). Since version 19, `visitor_times` holds each one's click time
/// (`visitor_retention` counts from it): its second in the row's hour, 2 bytes big-endian, in the
/// same order, appended with the hashes. A row stored before has fewer times than hashes: the
/// times are the last hashes', and the first hashes' clicks are dated by the hour's last second
/// (`VisitorPair.time(inHour:)`).
///
/// One column of the row each click's counter delta upserts anyway, instead of a row of its own in
/// the `visitors` table with its own primary key and hour index: an apply then writes about half
/// the rows (docs/architecture.md). Only a token's first `TokenState.visitorsInRows` visitors are
/// kept so; any more are kept apart, in `visitors`, where one is found by its key.
public enum VisitorHashes {
    /// A stored visitor: its hash and its click's time (seconds since the epoch).
    typealias Entry = (hash: UInt64, time: Int64)

    /// The blob of `hashes`.
    static func blob(_ hashes: some Sequence<UInt64>) -> [UInt8] {
        var bytes: [UInt8] = []
        for hash in hashes { append(hash, to: &bytes) }
        return bytes
    }

    /// Sets a counter row's visitor hashes (version 10, before their times); the parameters are
    /// the blob, the token and the hour.
    static let updateHashesSQL = "UPDATE counters SET visitors = ? WHERE token = ? AND hour = ?"

    /// Sets a counter row's visitors; the parameters are the hashes' blob, the times' blob, the
    /// token and the hour.
    static let updateSQL = "UPDATE counters SET visitors = ?, visitor_times = ? WHERE token = ? AND hour = ?"

    /// Sets each row's visitors to `entries` (none: NULL) through `update` (`updateSQL`, or without
    /// `times` `updateHashesSQL`).
    static func set(_ rows: some Sequence<(token: String, hour: Int64, entries: [Entry])>, with update: Statement,
                    times: Bool = true) throws {
        var binder = RowBinder()
        for row in rows {
            binder.removeAll()
            binder.add(visitors: row.entries.isEmpty ? nil : row.entries, hour: row.hour, times: times)
            binder.add(row.token)
            binder.add(row.hour)
            try binder.run(update, 0..<binder.count)
        }
    }

    /// Appends `hash`'s 8 bytes to `bytes`.
    static func append(_ hash: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: hash.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends the 2 bytes of `time`'s second in `hour` to `bytes`.
    static func append(_ time: Int64, inHour hour: Int64, to bytes: inout [UInt8]) {
        let second = UInt16(clamping: time - hour * 3600)
        withUnsafeBytes(of: second.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The hashes of a blob (trailing bytes short of a hash are ignored).
    static func hashes(in blob: UnsafeRawBufferPointer) -> [UInt64] {
        (0..<blob.count / 8).map { UInt64(bigEndian: blob.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }

    /// The visitors of a row of `hour`: its hashes' blob with its times' blob (see above).
    static func entries(_ hashes: UnsafeRawBufferPointer, times: UnsafeRawBufferPointer, hour: Int64) -> [Entry] {
        let stored = self.hashes(in: hashes)
        let undated = max(0, stored.count - times.count / 2)
        return stored.enumerated().map { index, hash in
            guard index >= undated else { return (hash, VisitorPair.time(inHour: hour)) }
            let second = UInt16(bigEndian: times.loadUnaligned(fromByteOffset: (index - undated) * 2, as: UInt16.self))
            return (hash, hour * 3600 + Int64(second))
        }
    }

    /// Every visitor pair `database` stores (for tests and inspection): those in counter rows in
    /// the rows' order, then those kept apart.
    public static func stored(in database: Database) throws -> [VisitorPair] {
        let rows = try database.prepare("""
            SELECT token, hour, visitors, visitor_times FROM counters WHERE visitors IS NOT NULL ORDER BY token, hour
            """)
        let inRows = try rows.rows { row in
            let token = row.string(0) ?? ""
            return entries(row.blob(2), times: row.blob(3), hour: row.int64(1)).map {
                VisitorPair(token: token, visitor: $0.hash, time: $0.time)
            }
        }
        let apart = try database.prepare(
            "SELECT token, visitor, \(apartTime) FROM visitors ORDER BY token, visitor"
        ).rows {
            VisitorPair(token: $0.string(0) ?? "", visitor: UInt64(bitPattern: $0.int64(1)), time: $0.int64(2), apart: true)
        }
        return inRows.flatMap { $0 } + apart
    }

    /// The click time of a pair kept apart, in SQL: its `time`, or for one stored before pairs
    /// had it, its hour's last second.
    static let apartTime = "coalesce(time, hour * 3600 + 3599)"
}
