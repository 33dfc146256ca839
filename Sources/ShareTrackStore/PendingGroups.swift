import ShareTrackCore

/// The groups of the daemon's pending batch (`LiveGroups`), kept between answers and advanced by
/// the records the batch gained since the last one (`PendingEffects`): an answer sums what arrived
/// since, not the whole pending batch again (which was more than half of a live `tiers` answer at
/// 20,000 events/s; docs/benchmarks.md, round 13).
struct PendingGroups {
    /// Where in the pending batch these stand.
    private(set) var seen: PendingEffects.Position
    private(set) var groups = LiveGroups()
    private var context: LiveGroups.Context

    /// The groups of none of the records of the pending batch `generation` yet, after the
    /// unapplied batches `context.earlier`.
    init(generation: UInt64, _ context: LiveGroups.Context) {
        seen = PendingEffects.Position(generation: generation, offset: 0)
        self.context = context
    }

    /// Adds the records of `effects`, which start at `seen`, after `earlier`: the groups of the
    /// batches before it that the tables do not hold now (those they hold have moved into the
    /// tables, where `context.storedCounters` reads them).
    mutating func advance(by effects: PendingEffects, after earlier: [LiveGroups]) throws {
        precondition(effects.start == seen, "pending effects from \(effects.start), not \(seen)")
        context.earlier = earlier
        try effects.bytes.withUnsafeBytes { bytes in
            var records = BatchRecords(bytes)
            while let record = try records.next() {
                switch record {
                case .counters(let delta, let key): try groups.add(delta, at: key, context)
                case .share(let share): try groups.add(share, context)
                case .visitor, .sealedVisitor, .erasure: continue
                }
            }
        }
        seen = effects.end
    }
}
