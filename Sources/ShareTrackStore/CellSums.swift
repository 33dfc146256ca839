import ShareTrackCore

/// The sums of one answer per `Projections.Cell`, reused from one answer to the next. The cells of
/// hour 0 (every cell of an answer not per hour) are kept in an array by projection index, zeroed
/// as it is drained, so that adding to one is an array access: no hashing, and no fresh pages per
/// answer (docs/benchmarks.md, round 10). The array grows to the most projections one kind of
/// answer has had (`Projections`: 200,000 at most, 11 MB). Other cells go in a dictionary.
struct CellSums {
    private var byIndex: [Counters] = []
    private var isUsed: [Bool] = []
    private var used: [Int32] = []
    private var byCell: [Projections.Cell: Counters] = [:]

    /// Adds the `counters` of a group to `cell`.
    mutating func add(_ counters: Counters, to cell: Projections.Cell) {
        guard cell.hour == 0 else {
            byCell[cell, default: Counters()].add(counters)
            return
        }
        let index = Int(cell.index)
        if index >= byIndex.count {
            byIndex.append(contentsOf: repeatElement(Counters(), count: index + 1 - byIndex.count))
            isUsed.append(contentsOf: repeatElement(false, count: index + 1 - isUsed.count))
        }
        if !isUsed[index] {
            isUsed[index] = true
            used.append(cell.index)
        }
        byIndex[index].add(counters)
    }

    /// Hands `body` every cell added to since the last drain whose sum counts something, with its
    /// sum; leaves the sums empty. A cell that sums to zero holds no counter row (each counts
    /// something): only a kept range slid past a group's hours leaves one, when its rows were taken
    /// away under another number of the group than the one they were kept under (`StoredSums`).
    mutating func drain(_ body: (Projections.Cell, Counters) -> Void) {
        for (cell, sum) in byCell where !sum.isZero { body(cell, sum) }
        byCell.removeAll()
        for index in used.map(Int.init) {
            if !byIndex[index].isZero { body(Projections.Cell(hour: 0, index: Int32(index)), byIndex[index]) }
            byIndex[index] = Counters()
            isUsed[index] = false
        }
        used.removeAll(keepingCapacity: true)
    }
}
