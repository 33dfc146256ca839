import ShareTrackCore

/// Consecutive batches of one node, as the rows one shared-store transaction copies in: counter
/// deltas summed per (token, hour) over the batches, the shares, the visitor pairs, and each
/// producer's latest state; and the erasures (`forget`) the first batch leads with, which apply
/// before those rows (only a shipment's first batch may carry erasures: `JournalReader` cuts there).
public struct Shipment: Sendable {
    /// The generations shipped: `first...last`.
    public let first: UInt64
    public let last: UInt64
    public let events: Int
    /// Commit time of the last batch on the node (seconds since the epoch).
    public let batchTime: Int64
    let erasures: [Erasure]
    var shares = ArrayRows(Table.shares.columns)
    var counters = ArrayRows(Table.counters.columns)
    var visitors = ArrayRows(Table.visitors.columns)
    var sources = ArrayRows(Table.sources.columns)

    /// The tables a shipment fills, in the order of the statement's parameters (after `$1`, the node).
    enum Table: CaseIterable {
        case shares, counters, visitors, sources

        var columns: [ArrayRows.Column] {
            switch self {
            case .shares: Self.columns("token text, advocate text, venue text, campaign text, network text, "
                                       + "followers bigint, tier text, time bigint")
            case .counters: Self.columns("token text, hour bigint, shares bigint, reach bigint, clicks bigint, "
                                         + "unique_clicks bigint, bot_clicks bigint, conversions bigint, value numeric")
            case .visitors: Self.columns("token text, visitor bigint, hour bigint, time bigint")
            case .sources: Self.columns("source text, highest_seq bigint, last_seen bigint, accepted bigint, "
                                        + "rejected bigint, duplicates bigint, test bigint")
            }
        }

        /// `"name type, ..."` as columns.
        private static func columns(_ list: String) -> [ArrayRows.Column] {
            list.split(separator: ", ").map { column in
                let words = column.split(separator: " ")
                return ArrayRows.Column(name: String(words[0]), type: String(words[1]))
            }
        }
    }

    /// The `FROM` item of `table`'s rows in the statement.
    static func unnest(_ table: Table) -> String {
        let first = 2 + Table.allCases.prefix { $0 != table }.reduce(0) { $0 + $1.columns.count }
        return ArrayRows.unnest(table.columns, from: first, as: "rows")
    }

    /// The stored share rows, named `s`, of the shipped shares' tokens (the `FROM` item of a
    /// statement whose only parameters are the shares' columns, run after they are inserted).
    static let storedShares = ArrayRows.unnest(Table.shares.columns, from: 1, as: "shipped") + " JOIN shares s USING (token)"

    /// The statement's parameters after the node: every table's columns, in `Table` order.
    var parameters: [String] {
        Table.allCases.flatMap { table in
            switch table {
            case .shares: shares.parameters
            case .counters: counters.parameters
            case .visitors: visitors.parameters
            case .sources: sources.parameters
            }
        }
    }

    /// `batches` must be consecutive generations, oldest first, and not empty.
    public init(_ batches: [Batch], batchTime: Int64) {
        precondition(!batches.isEmpty, "a shipment holds at least one batch")
        first = batches[0].generation
        last = batches[batches.count - 1].generation
        events = batches.reduce(0) { $0 + $1.events }
        self.batchTime = batchTime
        precondition(batches.dropFirst().allSatisfy(\.erasures.isEmpty), "erasures lead a shipment")
        erasures = batches[0].erasures
        // A batch's counters are one row per key already; several batches' are summed, since one
        // statement may not update a row twice.
        var summed = batches[0].counters
        for batch in batches.dropFirst() {
            for (key, delta) in batch.counters { summed.add(delta, at: key) }
        }
        var latest: [String: SourceState] = [:]
        for batch in batches {
            latest.merge(batch.sources) { $1 }
            for share in batch.shares { add(share) }
            for pair in batch.visitors { add(pair) }
        }
        for (key, delta) in summed { add(delta, at: key) }
        for (source, state) in latest { add(source, state) }
    }

    // In the order of the columns above.

    private mutating func add(_ share: ShareRecord) {
        let attributes = share.attributes
        shares.add(.text(share.token), .text(attributes.advocate), .text(attributes.venue), .text(attributes.campaign),
                   .text(attributes.network), .number(Int64(attributes.followers)), .text(share.tier.rawValue),
                   .number(share.time))
    }

    private mutating func add(_ delta: Counters, at key: CounterKey) {
        counters.add(.text(key.token), .number(key.hour), .number(delta.shares), .number(delta.reach),
                     .number(delta.clicks), .number(delta.uniqueClicks), .number(delta.botClicks),
                     .number(delta.conversions), .text(String(describing: delta.value)))
    }

    private mutating func add(_ pair: VisitorPair) {
        visitors.add(.text(pair.token), .number(Int64(bitPattern: pair.visitor)), .number(pair.hour), .number(pair.time))
    }

    private mutating func add(_ source: String, _ state: SourceState) {
        sources.add(.text(source), .number(Int64(state.highestSeq)), .number(state.lastSeen), .number(state.accepted),
                    .number(state.rejected), .number(state.duplicates), .number(state.test))
    }
}
