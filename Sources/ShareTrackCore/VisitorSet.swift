/// The visitors of one share, as 64-bit hashes: the first two in place, any more in a table of
/// the token cache's `VisitorTables`, which every operation past the first two is given.
///
/// Most shares have a handful of visitors (in the benchmark's workload the median is 2), so 60% of
/// the token states need no table. A set is not copied to be changed apart: its table belongs to
/// the one state that holds it.
///
/// The hashes are the visitors' keyed hashes (`VisitorKey`, which explains why 64 bits suffice).
struct VisitorSet: Sendable {
    /// 0 marks a free place, here and in the table (`VisitorKey` never gives 0; 0 is taken as 1).
    private var first: UInt64 = 0
    private var second: UInt64 = 0
    private var table: VisitorTables.Table?

    /// Adds a visitor; `true` if it was not there before.
    mutating func insert(_ visitor: UInt64, in tables: inout VisitorTables) -> Bool {
        let hash = max(1, visitor)
        if contains(hash, in: tables) { return false }
        if first == 0 {
            first = hash
        } else if second == 0 {
            second = hash
        } else {
            table = tables.insert(hash, into: table)
        }
        return true
    }

    func contains(_ hash: UInt64, in tables: VisitorTables) -> Bool {
        if hash == first || hash == second { return true }
        guard let table else { return false }
        return tables.contains(hash, in: table)
    }

    /// Removes a visitor (a forgotten or expired one).
    mutating func remove(_ visitor: UInt64, from tables: inout VisitorTables) {
        let hash = max(1, visitor)
        if hash == first { return first = 0 }
        if hash == second { return second = 0 }
        if let table { tables.remove(hash, from: table) }
    }

    func count(in tables: VisitorTables) -> Int {
        let inPlace = (first == 0 ? 0 : 1) + (second == 0 ? 0 : 1)
        guard let table else { return inPlace }
        return inPlace + tables.count(table)
    }

    /// Gives the table back (the set's state is dropped).
    func release(to tables: inout VisitorTables) {
        if let table { tables.release(table) }
    }
}
