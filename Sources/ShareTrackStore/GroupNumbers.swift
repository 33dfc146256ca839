import CSQLite

/// The ids of share groups in every `GroupTable`, numbering those not numbered yet (inside the
/// writer's transaction). Remembers the ids of the groups used recently from one batch to the next
/// (`RecentMemo`: a share's clicks come over hours, and at 20,000 events/s a batch uses about
/// 10,000 groups): a group's ids never change, and its attributes only when `forget --advocate`
/// renames its advocate (then `forget()` drops them all).
///
/// The place groups (`GroupTable.places`) are remembered by their own attributes as well: a
/// batch's new share groups fall in a few of them, numbered batches before, and looking those up
/// again in the table (an insertion attempt and a read per new share group) was an eighth of the
/// numbering (docs/benchmarks.md, round 5 of issue 13).
final class GroupNumbers {
    /// At most this many groups, and this many place groups, are remembered by default (about 140
    /// bytes each).
    static let defaultCapacity = 40_000

    /// One group's id in each `GroupTable` of `GroupTable.all` (six), without an array's
    /// allocation per group.
    struct IDs {
        private var ids: (Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0)

        /// The id in `GroupTable.all[table]`.
        subscript(table: Int) -> Int64 {
            get {
                switch table {
                case 0: ids.0
                case 1: ids.1
                case 2: ids.2
                case 3: ids.3
                case 4: ids.4
                default: ids.5
                }
            }
            set {
                switch table {
                case 0: ids.0 = newValue
                case 1: ids.1 = newValue
                case 2: ids.2 = newValue
                case 3: ids.3 = newValue
                case 4: ids.4 = newValue
                default: ids.5 = newValue
                }
            }
        }
    }

    private var groups: RecentMemo<GroupKey, IDs>
    /// Place group ids by the place's attributes (`placeProjection`).
    private var places: RecentMemo<GroupKey, Int64>
    private let placeProjection = GroupKey.Projection(Set(GroupTable.places.attributes))
    private let placeTable = GroupTable.places.index!
    /// Stage the groups not remembered (`temp.new_groups`, with whether their place is), one row
    /// and `Store.chunkRows` rows.
    private let stageOne: Statement
    private let stageMany: Statement
    /// Per group table: add the staged groups it lacks, then read every staged group's id (for
    /// the place groups, of the staged groups whose place is not remembered).
    private let numbering: [(add: Statement, read: Statement)]
    private let database: Database

    init(_ database: Database, capacity: Int = defaultCapacity) throws {
        precondition(GroupTable.all.count == 6, "IDs holds one id per group table")
        self.database = database
        groups = RecentMemo(capacity: capacity)
        places = RecentMemo(capacity: capacity)
        let attributes = GroupKey.attributes
        try database.execute("""
            CREATE TEMP TABLE IF NOT EXISTS new_groups (position INTEGER PRIMARY KEY, place_known INTEGER NOT NULL,
                \(attributes.map { "\($0) TEXT NOT NULL" }.joined(separator: ", ")));
            """)
        let stage = "INSERT INTO temp.new_groups VALUES "
        stageOne = try database.prepare(stage + Rows.values(attributes.count + 2, rows: 1))
        stageMany = try database.prepare(stage + Rows.values(attributes.count + 2, rows: Store.chunkRows))
        numbering = try GroupTable.all.map { table in
            let columns = table.attributes.joined(separator: ", ")
            let same = table.attributes.map { "g.\($0) = n.\($0)" }.joined(separator: " AND ")
            let staged = table == .places ? " WHERE NOT n.place_known" : ""
            // Not `SELECT DISTINCT`: the unique index already ignores a repeated projection, and
            // DISTINCT sorted every staged group into a temporary B-tree per table first.
            let add = "INSERT OR IGNORE INTO main.\(table.table) (\(columns)) SELECT \(columns) FROM temp.new_groups n\(staged)"
            let read = "SELECT n.position, g.id FROM temp.new_groups n CROSS JOIN main.\(table.table) g ON \(same)\(staged)"
            return (try database.prepare(add), try database.prepare(read))
        }
    }

    /// The ids of each of `keys` (distinct) in every table of `GroupTable.all`, in the order of
    /// `keys`. The groups not remembered are looked up together, and numbered where missing, with
    /// two statements per group table (a statement per group and table cost about 22 µs of CPU
    /// a new group in `make bench`; docs/benchmarks.md, round 14).
    func ids(of keys: [GroupKey]) throws -> [IDs] {
        var ids: [IDs?] = keys.map { groups.value(for: $0) }
        let missing = ids.indices.filter { ids[$0] == nil }
        for (index, found) in zip(missing, try number(missing.map { keys[$0] })) {
            ids[index] = found
            groups.remember(found, for: keys[index])
        }
        return ids.map { $0! }
    }

    /// The groups remembered.
    var remembered: Int { groups.count }

    /// Looks `keys` (distinct) up in every group table, adding those missing; their ids in order.
    private func number(_ keys: [GroupKey]) throws -> [IDs] {
        guard !keys.isEmpty else { return [] }
        try database.execute("DELETE FROM temp.new_groups")
        var ids = [IDs](repeating: IDs(), count: keys.count)
        var placesKnown = 0
        var binder = RowBinder()
        for (position, key) in keys.enumerated() {
            let place = places.value(for: key.projected(placeProjection))
            if let place {
                ids[position][placeTable] = place
                placesKnown += 1
            }
            binder.add(Int64(position))
            binder.add(place == nil ? 0 : 1)
            for attribute in GroupKey.attributes { binder.add(key[attribute]) }
            try binder.endRow(many: stageMany)
        }
        try binder.finish(one: stageOne)
        for (table, (add, read)) in numbering.enumerated() {
            try add.run()
            defer { read.reset() }
            let staged = table == placeTable ? keys.count - placesKnown : keys.count
            var found = 0
            while try read.step() {
                let position = Int(read.int64(0))
                ids[position][table] = read.int64(1)
                if table == placeTable { places.remember(read.int64(1), for: keys[position].projected(placeProjection)) }
                found += 1
            }
            guard found == staged else {
                let message = "\(GroupTable.all[table].table) numbered \(found) of \(staged) groups"
                throw SQLiteError(code: SQLITE_CORRUPT, message: message)
            }
        }
        return ids
    }

    /// Drops every id remembered (an advocate was renamed, or a transaction rolled back).
    func forget() {
        groups.forget()
        places.forget()
    }
}
