/// The rows of one table in a shipment, column by column: each column one array parameter
/// (`ArrayText`), and the SQL that turns them back into rows (`unnest`).
struct ArrayRows {
    /// A column's name and PostgreSQL type (its parameter is an array of that type).
    struct Column {
        let name: String
        let type: String
    }

    let columns: [Column]
    private var arrays: [ArrayText]

    init(_ columns: [Column]) {
        self.columns = columns
        arrays = Array(repeating: ArrayText(), count: columns.count)
    }

    /// Adds a row: one element per column, in order.
    mutating func add(_ row: ArrayText.Element...) {
        precondition(row.count == arrays.count, "one element per column")
        for index in row.indices { arrays[index].add(row[index]) }
    }

    var count: Int { arrays[0].count }

    /// The parameters, one array literal per column.
    var parameters: [String] { arrays.map(\.literal) }

    /// The `FROM` item that reads `columns` from parameters `$first`, `$first + 1`, ... as rows
    /// named `alias`; text compares bytewise (`COLLATE "C"`, as the tables' token columns).
    static func unnest(_ columns: [Column], from first: Int, as alias: String) -> String {
        let arrays = columns.enumerated().map { index, column in
            "$\(first + index)::\(column.type)[]" + (column.type == "text" ? #" COLLATE "C""# : "")
        }
        return "unnest(\(arrays.joined(separator: ", "))) AS \(alias) (\(columns.map(\.name).joined(separator: ", ")))"
    }
}
