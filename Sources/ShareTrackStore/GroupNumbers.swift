/// The ids of share groups in every `GroupTable`, numbering those not numbered yet (inside the
/// writer's transaction). Remembers the ids of up to `capacity` groups from one batch to the next:
/// a group's ids never change, and its attributes only when `forget --advocate` renames its
/// advocate (then `forget()` drops them all).
final class GroupNumbers {
    static let capacity = 10_000

    private var known: [GroupKey: [Int64]] = [:]
    private let selects: [Statement]
    private let inserts: [Statement]
    private let database: Database

    init(_ database: Database) throws {
        self.database = database
        selects = try GroupTable.all.map { try database.prepare($0.selectSQL) }
        inserts = try GroupTable.all.map { try database.prepare($0.insertSQL) }
    }

    /// `key`'s id in each table of `GroupTable.all`, in order.
    func ids(_ key: GroupKey) throws -> [Int64] {
        if let ids = known[key] { return ids }
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
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[key] = ids
        return ids
    }

    /// Drops every id remembered (an advocate was renamed, or a transaction rolled back).
    func forget() {
        known.removeAll()
    }
}
