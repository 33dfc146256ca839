import CSQLite

/// The ids of share groups in every `GroupTable`, numbering those not numbered yet (inside the
/// writer's transaction), all of a transaction's groups together.
///
/// The place groups (`GroupTable.places`) are remembered by their own attributes: a transaction's
/// new share groups fall in a few of them, numbered transactions before, and looking those up
/// again in the table (an insertion attempt and a read per new share group) was an eighth of the
/// numbering (docs/benchmarks.md, round 5 of issue 13). A place group's id never changes, nor its
/// attributes (`forget --advocate` renames no place; `forget()` drops them after a rollback).
///
/// The share groups themselves are not remembered from one transaction to the next: the batches
/// of one transaction are numbered together (`Store.apply`), and of the groups a transaction uses,
/// the 40,000 used last held about a tenth, for 8-25 MiB (docs/benchmarks.md, session 69).
final class GroupNumbers {
    /// At most this many place groups are remembered by default (the benchmarks' workloads have
    /// about 3,000).
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

    /// Place group ids by the place's attributes (`placeProjection`).
    private var places: RecentMemo<GroupKey, Int64>
    private let placeProjection = GroupKey.Projection(Set(GroupTable.places.attributes))
    private let placeTable = GroupTable.places.index!
    /// Stage the groups (`temp.new_groups`, with whether their place is remembered), one row
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

    /// The place groups remembered.
    var remembered: Int { places.count }

    /// The ids of each of `keys` (distinct) in every table of `GroupTable.all`, in the order of
    /// `keys`, adding the groups missing. They are looked up together, with two statements per
    /// group table (a statement per group and table cost about 22 µs of CPU a new group in `make
    /// bench`; docs/benchmarks.md, round 14).
    func ids(of keys: [GroupKey]) throws -> [IDs] {
        guard !keys.isEmpty else { return [] }
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
        // Emptied once numbered, as `RollupWriter.addStaged` empties its tables: the TEMP database
        // is in memory, and the groups left for the next numbering to delete stayed there (2.3 MiB
        // after `make bench`) for as long as the daemon was idle (docs/benchmarks.md, session 70).
        // A call that throws leaves them to the transaction's rollback, which restores the empty
        // table it began with.
        try database.execute("DELETE FROM temp.new_groups")
        return ids
    }

    /// Drops every place id remembered (a transaction rolled back: the ids it added are gone).
    func forget() {
        places.forget()
    }
}
