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
    /// At most this many groups are remembered by default (about 130 bytes each).
    static let defaultCapacity = 40_000

    private let capacity: Int

    /// One group's id in each `GroupTable` of `GroupTable.all` (four), without an array's
    /// allocation per group.
    struct IDs {
        private let ids: (Int64, Int64, Int64, Int64)

        init(_ ids: [Int64]) {
            self.ids = (ids[0], ids[1], ids[2], ids[3])
        }

        /// The id in `GroupTable.all[table]`.
        subscript(table: Int) -> Int64 {
            switch table {
            case 0: ids.0
            case 1: ids.1
            case 2: ids.2
            default: ids.3
            }
        }
    }

    private var recent: [GroupKey: IDs] = [:]
    private var older: [GroupKey: IDs] = [:]
    private let selects: [Statement]
    private let inserts: [Statement]
    private let database: Database

    init(_ database: Database, capacity: Int = defaultCapacity) throws {
        precondition(GroupTable.all.count == 4, "IDs holds one id per group table")
        self.database = database
        self.capacity = capacity
        selects = try GroupTable.all.map { try database.prepare($0.selectSQL) }
        inserts = try GroupTable.all.map { try database.prepare($0.insertSQL) }
    }

    /// `key`'s id in each table of `GroupTable.all`, in order.
    func ids(_ key: GroupKey) throws -> IDs {
        if let ids = recent[key] { return ids }
        let ids = try older[key] ?? number(key)
        if recent.count >= capacity / 2 {
            older = recent
            recent = [:]
            recent.reserveCapacity(capacity / 2)
        }
        recent[key] = ids
        return ids
    }

    /// The groups remembered.
    var remembered: Int { recent.count + older.count }

    /// Looks `key` up in every group table, adding it where it is missing.
    private func number(_ key: GroupKey) throws -> IDs {
        var ids: [Int64] = []
        for (table, (select, insert)) in zip(GroupTable.all, zip(selects, inserts)) {
            let values = table.values(key).map { Statement.Value.text($0) }
            try select.bind(values)
            if let id = try select.rows({ $0.int64(0) }).first {
                ids.append(id)
            } else {
                try insert.bind(values)
                try insert.run()
                ids.append(database.lastInsertRowID)
            }
        }
        return IDs(ids)
    }

    /// Drops every id remembered (an advocate was renamed, or a transaction rolled back).
    func forget() {
        recent.removeAll()
        older.removeAll()
    }
}
