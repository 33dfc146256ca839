import ShareTrackCore

/// The columns of `shares` and `counters` rows in one order, for the statements that write them
/// (the store's flush, the live rows of a query) and read them back.
public enum Rows {
    static let shareColumns = "token, advocate, venue, campaign, network, followers, tier, time"
    /// The counters, in the order every statement reads and writes them.
    public static let counterNames = ["shares", "reach", "clicks", "unique_clicks", "bot_clicks", "conversions", "value"]
    static let counterColumns = "token, hour, " + counterNames.joined(separator: ", ")
    /// A share's columns, then its counter row's hour and counters: an attributed row (of
    /// `shares JOIN counters USING (token)`, never a counter row's `visitors`).
    static let attributedColumns = "\(shareColumns), hour, " + counterNames.joined(separator: ", ")
    /// True for a row that counts something (a counter that is not zero).
    public static let counted = "(" + counterNames.map { "\($0) <> 0" }.joined(separator: " OR ") + ")"
    /// The columns of a `sources` row after `source`, in the order `SourceState(row:)` reads them.
    static let sourceColumns = "highest_seq, last_seen, accepted, rejected, duplicates, test"
    /// Writes a producer's row (`SourceState.row(of:)`), in place of the one it had.
    static let replaceSourceSQL = "INSERT OR REPLACE INTO sources (source, \(sourceColumns)) VALUES \(values(7, rows: 1))"

    /// The parameters of `rows` rows of `columns` values each, for `VALUES`: `(?, ?), (?, ?)`.
    static func values(_ columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }
}

extension Statement {
    /// Binds a share in the order of `Rows.shareColumns`.
    func bind(_ share: ShareRecord) throws(SQLiteError) {
        try bind([
            .text(share.token), .text(share.attributes.advocate), .text(share.attributes.venue),
            .text(share.attributes.campaign), .text(share.attributes.network),
            .integer(Int64(share.attributes.followers)), .text(share.tier.rawValue), .integer(share.time),
        ])
    }

    /// Binds a counter row in the order of `Rows.counterColumns`.
    func bind(_ key: CounterKey, _ counters: Counters) throws(SQLiteError) {
        try bind(key.token, at: 1)
        try bind(key.hour, at: 2)
        try bind(counters, from: 3)
    }

    /// Binds the counters in the order of `Rows.counterNames` to the parameters from `index` on
    /// (one at a time: an array of values per row was a third of filling `live_groups`).
    func bind(_ counters: Counters, from index: Int32) throws(SQLiteError) {
        try bind(counters.shares, at: index)
        try bind(counters.reach, at: index + 1)
        try bind(counters.clicks, at: index + 2)
        try bind(counters.uniqueClicks, at: index + 3)
        try bind(counters.botClicks, at: index + 4)
        try bind(counters.conversions, at: index + 5)
        try bind(counters.value.thousandths, at: index + 6)
    }

}

extension SourceState {
    /// A producer's state from the columns of `Rows.sourceColumns`, from `column` on.
    public init(row: some QueryRow, at column: Int32 = 0) {
        self.init()
        highestSeq = UInt64(row.int64(column))
        lastSeen = row.int64(column + 1)
        accepted = row.int64(column + 2)
        rejected = row.int64(column + 3)
        duplicates = row.int64(column + 4)
        test = row.int64(column + 5)
    }

    /// A row of `sources` (`Rows.replaceSourceSQL`'s parameters): `source`, then this state.
    func row(of source: String) -> [Statement.Value] {
        [.text(source), .integer(Int64(highestSeq)), .integer(lastSeen), .integer(accepted), .integer(rejected),
         .integer(duplicates), .integer(test)]
    }
}
