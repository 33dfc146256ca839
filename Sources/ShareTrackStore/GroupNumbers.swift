import CSQLite

/// The ids of share groups in every `GroupTable`, numbering those not numbered yet (inside the
/// writer's transaction). Remembers the ids of the groups used recently from one batch to the next:
/// a group's ids never change, and its attributes only when `forget --advocate` renames its
/// advocate (then `forget()` drops them all).
///
/// Two generations: a group is looked up in `recent`, then in `older` (and moved to `recent`);
/// when `recent` holds `capacity / 2` groups it becomes `older`, and the groups not used since
/// are dropped. So the groups a stream of batches keeps using stay (a share's clicks come over
/// hours, and at 20,000 events/s a batch uses about 10,000 groups: with one table that was
/// emptied when full, nearly every lookup missed and read the group tables' indexes).
final class GroupNumbers {
    /// At most this many groups are remembered by default (about 140 bytes each).
    static let defaultCapacity = 40_000

    private let capacity: Int

    /// One group's id in each `GroupTable` of `GroupTable.all` (five), without an array's
    /// allocation per group.
    struct IDs {
        private var ids: (Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0)

        /// The id in `GroupTable.all[table]`.
        subscript(table: Int) -> Int64 {
            get {
                switch table {
                case 0: ids.0
                case 1: ids.1
                case 2: ids.2
                case 3: ids.3
                default: ids.4
                }
            }
            set {
                switch table {
                case 0: ids.0 = newValue
                case 1: ids.1 = newValue
                case 2: ids.2 = newValue
                case 3: ids.3 = newValue
                default: ids.4 = newValue
                }
            }
        }
    }

    private var recent: [GroupKey: IDs] = [:]
    private var older: [GroupKey: IDs] = [:]
    /// Stage the groups not remembered (`temp.new_groups`), one row and `Store.chunkRows` rows.
    private let stageOne: Statement
    private let stageMany: Statement
    /// Per group table: add the staged groups it lacks, then read every staged group's id.
    private let numbering: [(add: Statement, read: Statement)]
    private let database: Database

    init(_ database: Database, capacity: Int = defaultCapacity) throws {
        precondition(GroupTable.all.count == 5, "IDs holds one id per group table")
        self.database = database
        self.capacity = capacity
        let attributes = GroupKey.attributes
        try database.execute("""
            CREATE TEMP TABLE IF NOT EXISTS new_groups (position INTEGER PRIMARY KEY,
                \(attributes.map { "\($0) TEXT NOT NULL" }.joined(separator: ", ")));
            """)
        let stage = "INSERT INTO temp.new_groups VALUES "
        stageOne = try database.prepare(stage + Rows.values(attributes.count + 1, rows: 1))
        stageMany = try database.prepare(stage + Rows.values(attributes.count + 1, rows: Store.chunkRows))
        numbering = try GroupTable.all.map { table in
            let columns = table.attributes.joined(separator: ", ")
            let same = table.attributes.map { "g.\($0) = n.\($0)" }.joined(separator: " AND ")
            // Not `SELECT DISTINCT`: the unique index already ignores a repeated projection, and
            // DISTINCT sorted every staged group into a temporary B-tree per table first.
            let add = "INSERT OR IGNORE INTO main.\(table.table) (\(columns)) SELECT \(columns) FROM temp.new_groups"
            let read = "SELECT n.position, g.id FROM temp.new_groups n CROSS JOIN main.\(table.table) g ON \(same)"
            return (try database.prepare(add), try database.prepare(read))
        }
    }

    /// The ids of each of `keys` (distinct) in every table of `GroupTable.all`, in the order of
    /// `keys`. The groups not remembered are looked up together, and numbered where missing, with
    /// two statements per group table (a statement per group and table cost about 22 µs of CPU
    /// a new group in `make bench`; docs/benchmarks.md, round 14).
    func ids(of keys: [GroupKey]) throws -> [IDs] {
        var ids: [IDs?] = keys.map { remembered($0) }
        let missing = ids.indices.filter { ids[$0] == nil }
        for (index, found) in zip(missing, try number(missing.map { keys[$0] })) {
            ids[index] = found
            remember(keys[index], found)
        }
        return ids.map { $0! }
    }

    /// The groups remembered.
    var remembered: Int { recent.count + older.count }

    /// `key`'s ids if remembered (moved to `recent`).
    private func remembered(_ key: GroupKey) -> IDs? {
        if let ids = recent[key] { return ids }
        guard let ids = older[key] else { return nil }
        remember(key, ids)
        return ids
    }

    private func remember(_ key: GroupKey, _ ids: IDs) {
        if recent.count >= capacity / 2 {
            older = recent
            recent = [:]
            recent.reserveCapacity(capacity / 2)
        }
        recent[key] = ids
    }

    /// Looks `keys` (distinct) up in every group table, adding those missing; their ids in order.
    private func number(_ keys: [GroupKey]) throws -> [IDs] {
        guard !keys.isEmpty else { return [] }
        try database.execute("DELETE FROM temp.new_groups")
        var binder = RowBinder()
        for (position, key) in keys.enumerated() {
            binder.add(Int64(position))
            for attribute in GroupKey.attributes { binder.add(key[attribute]) }
            try binder.endRow(many: stageMany)
        }
        try binder.finish(one: stageOne)
        var ids = [IDs](repeating: IDs(), count: keys.count)
        for (table, (add, read)) in numbering.enumerated() {
            try add.run()
            defer { read.reset() }
            var found = 0
            while try read.step() {
                ids[Int(read.int64(0))][table] = read.int64(1)
                found += 1
            }
            guard found == keys.count else {
                let message = "\(GroupTable.all[table].table) numbered \(found) of \(keys.count) groups"
                throw SQLiteError(code: SQLITE_CORRUPT, message: message)
            }
        }
        return ids
    }

    /// Drops every id remembered (an advocate was renamed, or a transaction rolled back).
    func forget() {
        recent.removeAll()
        older.removeAll()
    }
}
