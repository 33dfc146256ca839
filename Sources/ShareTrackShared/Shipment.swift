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
    var shares = CopyText()
    var counters = CopyText()
    var visitors = CopyText()
    var sources = CopyText()

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
            summed.merge(batch.counters) { var sum = $0; sum.add($1); return sum }
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

    // In the order of the temporary tables' columns (`SharedStore.temporaryTables`).

    private mutating func add(_ share: ShareRecord) {
        shares.add(share.token)
        shares.add(share.attributes.advocate)
        shares.add(share.attributes.venue)
        shares.add(share.attributes.campaign)
        shares.add(share.attributes.network)
        shares.add(Int64(share.attributes.followers))
        shares.add(share.tier.rawValue)
        shares.add(share.time)
        shares.endRow()
    }

    private mutating func add(_ delta: Counters, at key: CounterKey) {
        counters.add(key.token)
        counters.add(key.hour)
        for count in [delta.shares, delta.reach, delta.clicks, delta.uniqueClicks, delta.botClicks, delta.conversions] {
            counters.add(count)
        }
        counters.add(String(describing: delta.value))
        counters.endRow()
    }

    private mutating func add(_ pair: VisitorPair) {
        visitors.add(pair.token)
        visitors.add(Int64(bitPattern: pair.visitor))
        visitors.add(pair.hour)
        visitors.endRow()
    }

    private mutating func add(_ source: String, _ state: SourceState) {
        sources.add(source)
        sources.add(Int64(state.highestSeq))
        sources.add(state.lastSeen)
        sources.add(state.accepted)
        sources.add(state.rejected)
        sources.add(state.duplicates)
        sources.endRow()
    }
}
