import CSQLite
import ShareTrackCore

/// The daemon's writing connection to the database: opens (or creates) it, migrates it, and
/// applies each batch to the tables in one transaction.
///
/// A batch reaches the store only after the `Journal` has made it durable (and its lines have been
/// answered), so a transaction here may take as long as it needs: no answer waits for it.
public final class Store {
    public let database: Database
    private let insertShare: Statement
    private let upsertCounter: Statement
    private let upsertSource: Statement
    private let setGeneration: Statement
    private let addValueTotal: Statement
    let findVisitor: Statement
    let eraseVisitorApart: Statement
    let updateVisitors: Statement
    let renameAdvocate: Statement
    /// The random id that ties the database and its journal together.
    public let id: Int64
    /// The generation of the last batch applied.
    public private(set) var generation: UInt64
    /// The sum of every `value` the tables hold.
    public private(set) var valueTotal: Money
    /// The same inserts for `chunkRows` rows at a time: SQLite's work per statement (start, halt,
    /// reset) is then paid once per chunk instead of once per row.
    private let insertShares: Statement
    private let upsertCounters: Statement
    /// The visitor pairs kept apart (`VisitorPair.apart`), one row and `chunkRows` rows at a time.
    private let insertVisitor: Statement
    private let insertVisitors: Statement
    static let chunkRows = 64
    let rollups: RollupWriter
    /// The indexes of `Schema.builtIndexes` the database lacks, which `buildRollups` makes.
    var indexesMissing: [String]

    /// Opens the database at `path`, creating it on first start.
    ///
    /// WAL with `synchronous = FULL`: a commit is on disk when `COMMIT` returns, and readers
    /// (queries, token lookups) never wait for the writer. `secure_delete`: what is deleted (a
    /// forgotten or expired visitor, an old advocate id, a migrated table) is overwritten with zeros.
    /// A database of an older schema is migrated, its visitor ids hashed with `visitorKey`; a
    /// migration may take a while on a large database (seconds per million shares), so
    /// `beforeMigrating` is told first, with the two schema versions.
    public init(path: String, visitorKey: VisitorKey,
                beforeMigrating: (_ from: Int64, _ to: Int64) -> Void = { _, _ in }) throws {
        do {
            database = try Database(path: path, mode: .readWrite)
            // SQLite quietly opens a file it may not write read-only; every flush would then fail.
            guard sqlite3_db_readonly(database.handle, "main") == 0 else {
                throw StoreError.cannotOpen(path: path, reason: "the file is read-only (check its mode, owner and attributes)")
            }
            // Before anything is written: WAL mode alone changes the file's header.
            try Schema.refuseForeign(database)
            try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;")
            // No checkpoint inside COMMIT: `writing` calls `checkpoint()` after each transaction,
            // which also restarts a long log (an automatic checkpoint never waits for readers).
            try database.execute("PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -16384;")
            database.setBusyTimeout(milliseconds: 100)
            if try Schema.migrate(database, visitorKey: visitorKey, beforeMigrating: beforeMigrating) {
                try database.truncateLog()
            }
        } catch let error as SQLiteError {
            throw StoreError.cannotOpen(path: path, reason: error.message)
        }
        let addCounters = """
            ON CONFLICT (token, hour) DO UPDATE SET
                shares = shares + excluded.shares,
                reach = reach + excluded.reach,
                clicks = clicks + excluded.clicks,
                unique_clicks = unique_clicks + excluded.unique_clicks,
                bot_clicks = bot_clicks + excluded.bot_clicks,
                conversions = conversions + excluded.conversions,
                value = value + excluded.value,
                visitors = CASE WHEN excluded.visitors IS NULL THEN visitors
                    ELSE CAST(coalesce(visitors, x'') || excluded.visitors AS BLOB) END,
                visitor_times = CASE WHEN excluded.visitor_times IS NULL THEN visitor_times
                    ELSE CAST(coalesce(visitor_times, x'') || excluded.visitor_times AS BLOB) END
            """
        insertShare = try database.prepare("INSERT INTO shares (\(Rows.shareColumns)) VALUES \(Rows.values(8, rows: 1))")
        insertShares = try database.prepare(
            "INSERT INTO shares (\(Rows.shareColumns)) VALUES \(Rows.values(8, rows: Self.chunkRows))")
        let counters = "INSERT INTO counters (\(Rows.counterColumns), visitors, visitor_times) VALUES"
        upsertCounter = try database.prepare("\(counters) \(Rows.values(11, rows: 1)) \(addCounters)")
        upsertCounters = try database.prepare("\(counters) \(Rows.values(11, rows: Self.chunkRows)) \(addCounters)")
        let visitors = "INSERT INTO visitors (token, visitor, hour, time) VALUES"
        insertVisitor = try database.prepare("\(visitors) \(Rows.values(4, rows: 1))")
        insertVisitors = try database.prepare("\(visitors) \(Rows.values(4, rows: Self.chunkRows))")
        upsertSource = try database.prepare(Rows.replaceSourceSQL)
        setGeneration = try database.prepare("UPDATE meta SET value = ? WHERE key = 'generation'")
        addValueTotal = try database.prepare("UPDATE meta SET value = value + ? WHERE key = 'value_total'")
        findVisitor = try database.prepare(
            "SELECT token, hour, visitors, visitor_times FROM counters WHERE visitors IS NOT NULL AND instr(visitors, ?) > 0")
        eraseVisitorApart = try database.prepare("DELETE FROM visitors WHERE visitor = ?")
        updateVisitors = try database.prepare(VisitorHashes.updateSQL)
        renameAdvocate = try database.prepare("UPDATE shares SET advocate = ? WHERE advocate = ?")
        rollups = try RollupWriter(database)
        indexesMissing = try Schema.missingIndexes(database)
        id = try Self.meta("id", database)
        generation = UInt64(try Self.meta("generation", database))
        valueTotal = Money(thousandths: try Self.meta("value_total", database))
    }

    /// The value in `meta` under `key`: `generation` (the last batch applied) or `id`.
    static func meta(_ key: String, _ database: Database) throws -> Int64 {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = ?")
        try statement.bind(key, at: 1)
        return try statement.rows { $0.int64(0) }.first ?? 0
    }

    /// Frees the page cache (clean pages only; this runs between transactions). The 16 MB cache
    /// serves the random page accesses within one apply; between applies it would only hold
    /// memory that the next apply reads back from the OS's file cache in a few milliseconds.
    public func releaseCache() {
        sqlite3_db_release_memory(database.handle)
    }

    /// Applies a batch in one transaction (see `apply(_:)` for several); returns the number of
    /// visitor pairs its erasures removed.
    @discardableResult
    public func apply(_ batch: Batch) throws -> Int {
        try apply([batch])[0]
    }

    /// Applies `batches` (in generation order) in one transaction, leaving the tables as applying
    /// them one by one would: each batch's erasures first, then counter deltas (with the visitors
    /// each row's hour stored) as additive upserts, the new shares and the visitors kept apart,
    /// the producers' states, and the batch's generation; then what the batches bring to the
    /// rollups (`RollupWriter`). A batch of a generation the tables hold already is not applied
    /// again. Returns, per batch, the rows its erasures changed (`erase`).
    ///
    /// One transaction for several batches writes each page they change once: the counters,
    /// shares and group tables are keyed by random tokens and ids, so a batch changes about one
    /// page per row, and consecutive batches change many of the same pages (docs/benchmarks.md).
    /// The batches between two erasures are written as one (`Batch.merged`): a counter row that
    /// several of them add to is upserted once, and each table is walked in key order once rather
    /// than once a batch (through a page cache that holds a fraction of it). The rollups are added
    /// once for all of them likewise.
    @discardableResult
    public func apply(_ batches: [Batch]) throws -> [Int] {
        let fresh = batches.filter { $0.generation > generation }
        guard let last = fresh.last else { return batches.map { _ in 0 } }
        let value = fresh.reduce(Int64(0)) { $0 + Self.value(of: $1) }
        let newShares = Set(fresh.lazy.flatMap(\.shares).map(\.token))
        let erased = try writing {
            var erased: [Int] = []
            for run in Self.runs(of: fresh) {
                erased.append(try write(Batch.merged(run), newShares: newShares))
                erased += repeatElement(0, count: run.count - 1)
            }
            try rollups.addStaged()
            return erased
        }
        generation = last.generation
        valueTotal.thousandths += value
        let byGeneration = Dictionary(uniqueKeysWithValues: zip(fresh.map(\.generation), erased))
        return batches.map { byGeneration[$0.generation] ?? 0 }
    }

    /// Writes one batch's rows, in the caller's transaction, and stages them for the rollups (the
    /// transaction's new shares are `newShares`); returns the rows its erasures changed.
    private func write(_ batch: Batch, newShares: Set<String>) throws -> Int {
        let erased = try erase(batch.erasures)
        var binder = RowBinder()
        let visitors = Self.visitorsPerRow(batch.visitors)
        try write(batch.shares, by: { ($0.token, 0) }, with: &binder,
                  one: insertShare, many: insertShares) { share, row in
            // In the order of Rows.shareColumns.
            row.add(share.token)
            row.add(share.attributes.advocate)
            row.add(share.attributes.venue)
            row.add(share.attributes.campaign)
            row.add(share.attributes.network)
            row.add(Int64(share.attributes.followers))
            row.add(share.tier.rawValue)
            row.add(share.time)
        }
        try write(batch.counters, by: { ($0.key.token, $0.key.hour) }, with: &binder,
                  one: upsertCounter, many: upsertCounters) { entry, row in
            // In the order of Rows.counterColumns.
            row.add(entry.key.token)
            row.add(entry.key.hour)
            Self.add(entry.value, to: &row)
            row.add(visitors: visitors[entry.key], hour: entry.key.hour)
        }
        try stageForRollups(batch, excluding: newShares, with: &binder)
        try write(batch.visitors.filter(\.apart), by: { ($0.token, 0) }, with: &binder,
                  one: insertVisitor, many: insertVisitors) { pair, row in
            row.add(pair.token)
            row.add(Int64(bitPattern: pair.visitor))
            row.add(pair.hour)
            row.add(pair.time)
        }
        for (source, state) in batch.sources {
            try upsertSource.bind(state.row(of: source))
            try upsertSource.run()
        }
        try setGeneration.bind([.integer(Int64(batch.generation))])
        try setGeneration.run()
        try addValueTotal.bind([.integer(Self.value(of: batch))])
        try addValueTotal.run()
        return erased
    }

    /// `batches` in runs written as one: a run ends before each batch that begins with erasures,
    /// which apply to the rows of the batches before it only.
    static func runs(of batches: [Batch]) -> [ArraySlice<Batch>] {
        let starts = batches.indices.filter { $0 == batches.startIndex || !batches[$0].erasures.isEmpty }
        return zip(starts, starts.dropFirst() + [batches.endIndex]).map { batches[$0 ..< $1] }
    }

    /// The sum of a batch's `value`s, in thousandths.
    private static func value(of batch: Batch) -> Int64 {
        batch.counters.values.reduce(Int64(0)) { $0 + $1.value.thousandths }
    }

    /// A batch's visitor pairs per counter row (`VisitorHashes`), those not kept apart. Each pair's
    /// row is in the batch's counters: the engine records a visitor's first click's counter delta,
    /// then its pair.
    private static func visitorsPerRow(_ pairs: [VisitorPair]) -> [CounterKey: [VisitorHashes.Entry]] {
        var rows: [CounterKey: [VisitorHashes.Entry]] = [:]
        for pair in pairs where !pair.apart {
            rows[CounterKey(token: pair.token, hour: pair.hour), default: []].append((pair.visitor, pair.time))
        }
        return rows
    }

    /// The counters in the order of `Rows.counterNames`.
    static func add(_ counters: Counters, to row: inout RowBinder) {
        row.add(counters.shares)
        row.add(counters.reach)
        row.add(counters.clicks)
        row.add(counters.uniqueClicks)
        row.add(counters.botClicks)
        row.add(counters.conversions)
        row.add(counters.value.thousandths)
    }

    /// Inserts `rows` in key order, `chunkRows` at a time with `many`, the rest one by one with `one`.
    func write<Rows: Collection>(
        _ rows: Rows, by key: (Rows.Element) -> (String, Int64), with binder: inout RowBinder,
        one: Statement, many: Statement, _ bind: (Rows.Element, inout RowBinder) -> Void
    ) throws {
        binder.removeAll()
        for index in Self.keyOrder(rows, by: key) {
            bind(rows[index], &binder)
            try binder.endRow(many: many)
        }
        try binder.finish(one: one)
    }

    /// The indices of `rows` roughly in primary-key order (by the first 4 bytes of the token, then
    /// the hour), so that a flush walks each B-tree from left to right: every page is fetched and
    /// dirtied once per flush instead of at random, and a page the cache must spill is one the
    /// flush is done with. Put in order by a radix sort (`RadixOrder`) of the two packed into 64
    /// bits: the hour less the smallest in the low bits, and as many of the token's leading bits
    /// above them as fit, up to 32.
    static func keyOrder<Rows: Collection>(_ rows: Rows, by key: (Rows.Element) -> (String, Int64)) -> [Rows.Index] {
        let indices = Array(rows.indices)
        var prefixes: [UInt64] = []
        var hours: [Int64] = []
        prefixes.reserveCapacity(indices.count)
        hours.reserveCapacity(indices.count)
        for index in indices {
            let (token, hour) = key(rows[index])
            var prefix: UInt64 = 0
            for (offset, byte) in token.utf8.prefix(4).enumerated() { prefix |= UInt64(byte) << (24 - 8 * offset) }
            prefixes.append(prefix)
            hours.append(hour)
        }
        guard let lowHour = hours.min(), let highHour = hours.max() else { return [] }
        let hourBits = RadixOrder.bits(from: lowHour, to: highHour)
        let prefixBits = min(32, UInt64.bitWidth - hourBits)
        let packed = zip(prefixes, hours).map { prefix, hour in
            (prefix >> (32 - prefixBits)) << hourBits | UInt64(bitPattern: hour &- lowHour)
        }
        return RadixOrder.indexes(of: packed, bits: prefixBits + hourBits).map { indices[$0] }
    }
}
