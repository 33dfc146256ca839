import ShareTrackCore

/// The stored rows of a range of hours summed in memory per value of one attribute (a venue, a
/// network, a tier, an advocate), with each tier's distinct advocates: `venues` and the report's
/// networks over any range, `tiers` and `top` over one that `StoredSums` does not hold (more groups
/// than it keeps, or most of the stored hours) and, for `top`, whose all-time rows do not decide
/// (`Queries.topMerged`); without an advocate, whose few groups SQL finds by their key.
///
/// SQLite summed such a range per group with a sorter, looked each group's attributes up, then
/// sorted the groups again per tier to count its distinct advocates: at 2M shares `tiers --since
/// 30d` (2.1M hourly rows of 463,606 groups) took 2.6-2.9 s, and over 60 days, read as all time
/// less the 30 days outside, 6.9-9.5 s; `venues` 0.7-1.2 and 2.1-2.7 s (docs/benchmarks.md, session
/// 61: 1.0-1.1, 1.0-1.8, 0.25-0.39 and 0.27-0.39 s here). Here the groups the filter selects are
/// read first, each one's cell put in an array at its id: its value's, or its (tier, advocate)
/// pair's; then each row adds its counters to its cell's value and their total to the cell, in one
/// pass.
///
/// A range that holds most of the stored hours is read as the all-time rollup of the same groups
/// less the rows of the hours outside it, as `QueryText.rollup(_:less:_:columns:)` reads it in
/// SQL. A tier's advocates are its cells whose total is not zero: no counter is negative and every
/// row counts something, so a pair has rows in the range exactly where its total there is not zero.
struct RangeSums {
    /// The most group ids read into `cellOfGroup` by default (4 bytes each: 3.4 MB at 2M shares,
    /// 845,164 groups); a larger table is left to SQL, whose sorter spills to temporary files. The
    /// values and cells take about 130 bytes each for `top` (its advocates), fewer for `tiers`: at
    /// 2M shares `sharectl top --since 60d --by engagement --db` peaked at 63 MiB of RSS, 49
    /// without a range, where SQL took it to 201.
    static let defaultMostGroups = 2_500_000

    private let column: String
    private let countsAdvocates: Bool
    private var values: [String] = []
    private var valueNumbers: [String: Int32] = [:]
    private var sums: [Counters] = []
    private var advocateNumbers: [String: Int32] = [:]
    /// What the groups add to: a cell per value, or per (value, advocate) pair when counting
    /// advocates (`cell(value:advocate:)`); per cell its value and the total of its counters.
    private var cellNumbers: [Int64: Int32] = [:]
    private var cellValues: [Int32] = []
    private var cellTotals: [Int64] = []
    /// Per stored group id, its cell (-1: not selected).
    private var cellOfGroup: [Int32] = []

    /// Sums `column` (and, `countingAdvocates`, its advocates) over `filter`'s range from `hourly`,
    /// whose first and last hours are `stored`; nil where its groups have `mostGroups` ids or more
    /// (left to SQL).
    init?(_ column: String, countingAdvocates: Bool, _ filter: QueryFilter, from hourly: Rollup,
          stored: ClosedRange<Int64>?, mostGroups: Int, in database: Database) throws {
        self.column = column
        countsAdvocates = countingAdvocates
        guard try readGroups(of: hourly.groups, filter, mostGroups: mostGroups, database) else { return nil }
        guard let stored else { return }
        let storedHours = stored.lowerBound..<(stored.upperBound + 1)
        let range = (filter.sinceHour ?? .min)..<(filter.untilHour ?? .max)
        let selected = "SELECT id, \(Rows.counterNames.joined(separator: ", ")) FROM main."
        let rows = try database.prepare(selected + "\(hourly.table) WHERE hour >= ? AND hour < ?")
        guard Source.holdsMostHours(filter, of: stored) else {
            try add(range.clamped(to: storedHours), of: rows)
            return
        }
        let allTime = Rollup.all.first { !$0.hourly && $0.groups == hourly.groups }!
        try add(database.prepare(selected + allTime.table))
        for hours in StoredSums.hours(of: storedHours, outside: range) { try add(hours, of: rows, subtracting: true) }
    }

    /// Puts each group of `groups` that `filter` selects in its cell, by id; false at `mostGroups`
    /// ids or more.
    private mutating func readGroups(of groups: GroupTable, _ filter: QueryFilter, mostGroups: Int,
                                     _ database: Database) throws -> Bool {
        let last = try database.prepare("SELECT max(id) FROM main.\(groups.table)").rows { $0.int64(0) }.first ?? 0
        guard last < mostGroups else { return false }
        cellOfGroup = Array(repeating: -1, count: Int(last) + 1)
        let (conditions, parameters) = Queries.text.conditions(filter.allTime)
        // By advocate, each advocate's name is looked up once (100,000 for 845,164 groups); most
        // groups have the value (a tier) of the one before them too.
        let read = try database.prepare(
            "SELECT id, \(column)\(countsAdvocates ? ", advocate" : "") FROM main.\(groups.table) WHERE \(conditions)"
                + (countsAdvocates || column == "advocate" ? " ORDER BY advocate" : ""))
        try read.bind(parameters.map(\.statementValue))
        var (value, advocate, advocateName, cell): (Int32, Int32, String, Int32) = (-1, 0, "", -1)
        try read.forEachRow { row in
            if value < 0 || !row.text(1, is: values[Int(value)]) {
                value = number(value: row.string(1) ?? "")
                cell = -1
            }
            if countsAdvocates && (cell < 0 || !row.text(2, is: advocateName)) {
                advocateName = row.string(2) ?? ""
                advocate = number(advocate: advocateName)
                cell = -1
            }
            if cell < 0 { cell = self.cell(value: value, advocate: advocate) }
            cellOfGroup[Int(row.int64(0))] = cell
        }
        return true
    }

    /// Adds (or takes away) the rows of `hours` read by `rows` (its parameters: the first and the
    /// last hour past them).
    private mutating func add(_ hours: Range<Int64>, of rows: Statement, subtracting: Bool = false) throws {
        guard !hours.isEmpty else { return }
        try rows.bind(hours.lowerBound, at: 1)
        try rows.bind(hours.upperBound, at: 2)
        try add(rows, subtracting: subtracting)
    }

    /// Adds (or takes away) each row of `rows` (a group id, then the counters) to its group's
    /// cell and value, if `filter` selected the group.
    private mutating func add(_ rows: Statement, subtracting: Bool = false) throws {
        try rows.forEachRow { row in
            let id = Int(row.int64(0))
            guard id < cellOfGroup.count, case let cell = Int(cellOfGroup[id]), cell >= 0 else { return }
            let counters = row.counters(at: 1)
            let value = Int(cellValues[cell])
            if subtracting {
                sums[value].subtract(counters)
                cellTotals[cell] -= counters.total
            } else {
                sums[value].add(counters)
                cellTotals[cell] += counters.total
            }
        }
    }

    /// Adds the live groups of an answer (`LiveRows.grouped`: filtered, in the range).
    mutating func add(live: [(LiveRows.ProjectedGroup, Counters)]) {
        for (group, counters) in live {
            let value = number(value: group.key[column])
            let cell = Int(cell(value: value, advocate: countsAdvocates ? number(advocate: group.key.advocate) : 0))
            sums[Int(value)].add(counters)
            cellTotals[cell] += counters.total
        }
    }

    /// One row per value with counters, by value (bytewise, as SQLite orders them).
    func rows(_ dimension: GroupRow.Dimension) -> [GroupRow] {
        var advocates = [Int64](repeating: 0, count: values.count)
        for (value, total) in zip(cellValues, cellTotals) where total != 0 { advocates[Int(value)] += 1 }
        return counted.map { GroupRow(dimension, values[$0], advocates: countsAdvocates ? advocates[$0] : nil, totals: CounterTotals(sums[$0])) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Each value with counters and its sums, in no order (for `top` to rank).
    var valueSums: [(key: String, value: Counters)] {
        counted.map { (values[$0], sums[$0]) }
    }

    /// The numbers of the values with counters (those of the hours outside all taken away sum to 0).
    private var counted: [Int] {
        values.indices.filter { !sums[$0].isZero }
    }

    private mutating func number(value: String) -> Int32 {
        if let number = valueNumbers[value] { return number }
        valueNumbers[value] = Int32(values.count)
        values.append(value)
        sums.append(Counters())
        return Int32(values.count - 1)
    }

    private mutating func number(advocate: String) -> Int32 {
        if let number = advocateNumbers[advocate] { return number }
        advocateNumbers[advocate] = Int32(advocateNumbers.count)
        return Int32(advocateNumbers.count - 1)
    }

    /// The cell of `value` and the advocate numbered `advocate` (0 when not counting them),
    /// numbered now if new.
    private mutating func cell(value: Int32, advocate: Int32) -> Int32 {
        let key = Int64(value) << 32 | Int64(advocate)
        if let cell = cellNumbers[key] { return cell }
        cellNumbers[key] = Int32(cellValues.count)
        cellValues.append(value)
        cellTotals.append(0)
        return Int32(cellValues.count - 1)
    }
}

private extension Counters {
    /// Every counter added up: more than zero for a row or a sum of rows (none is negative, and
    /// each row counts something).
    var total: Int64 {
        shares + reach + clicks + uniqueClicks + botClicks + conversions + value.thousandths
    }
}
