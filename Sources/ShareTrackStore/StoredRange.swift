import ShareTrackCore

/// The stored part of a sum over a range of hours, summed per share group in memory: the range's
/// rows of `rollup_hour_groups`, per group number of the `AttributionCache`, so that an answer adds
/// the live groups and sums both per its attributes in one pass (`LiveRows`).
///
/// SQLite sums a range per group with a sorter over every (hour, group) row it holds, then looks
/// each group's attributes up: 24 h while ingest ran at 20,000 events/s held 131,000 rows and
/// 57,000 groups, and that took 190 ms of a 320 ms `top` (docs/benchmarks.md, round 10). Here the
/// rows are read in key order and summed in a dictionary, each group's attributes are looked up
/// once while the cache keeps its numbers, and the sums are kept for the next answer over the same
/// hours: as they are at the generation they were read at, plus what each batch applied since added
/// to the rollups (`advance`), where every such batch was kept live until it was applied.
struct StoredRange {
    private let read: Statement
    private let readGroups: Statement
    private var hours: Range<Int64>?
    private var generation: UInt64 = 0
    private(set) var sums: [Int32: Counters] = [:]

    init(_ database: Database) throws {
        read = try database.prepare("""
            SELECT id, \(Rows.counterNames.joined(separator: ", ")) FROM main.rollup_hour_groups
            WHERE hour >= ? AND hour < ?
            """)
        readGroups = try database.prepare("""
            SELECT id, advocate, venue, campaign, network, tier FROM main.share_groups
            WHERE id IN (SELECT id FROM main.rollup_hour_groups WHERE hour >= ? AND hour < ?)
            """)
    }

    /// Sums `hours` of the tables at `generation` (the last batch they hold), unless it holds them.
    mutating func load(_ hours: Range<Int64>, generation: UInt64, cache: AttributionCache) throws {
        guard hours != self.hours || generation != self.generation else { return }
        removeAll()
        try read.bind(hours.lowerBound, at: 1)
        try read.bind(hours.upperBound, at: 2)
        defer { read.reset() }
        var byID: [Int64: Counters] = [:]
        while try read.step() {
            byID[read.int64(0), default: Counters()].add(read.counters(at: 1))
        }
        // Many groups not numbered yet (the first answer over these hours) are read in one
        // statement: 57,000 lookups of one made the first 24 h answer 277-322 ms, not 200-236.
        if byID.keys.count(where: { !cache.hasNumbered(storedGroup: $0) }) * 8 > byID.count {
            try readGroups.bind(hours.lowerBound, at: 1)
            try readGroups.bind(hours.upperBound, at: 2)
            defer { readGroups.reset() }
            try cache.number(storedGroups: readGroups)
        }
        sums.reserveCapacity(byID.count)
        for (id, counters) in byID {
            sums[try cache.group(ofStoredGroup: id), default: Counters()].add(counters)
        }
        self.hours = hours
        self.generation = generation
    }

    /// Brings the sums to the tables at `generation` if every batch applied since they were read
    /// was kept (`applied`, by generation: what each added to the rollups, `LiveGroups`); else
    /// `load` reads them again.
    mutating func advance(by applied: [UInt64: LiveGroups], to generation: UInt64) {
        guard let hours, generation > self.generation, applied.count >= generation - self.generation,
              case let batches = (self.generation + 1...generation).compactMap({ applied[$0] }),
              batches.count == generation - self.generation
        else { return }
        for groups in batches {
            for (key, counters) in groups.sums where hours.contains(key.hour) {
                sums[key.group, default: Counters()].add(counters)
            }
        }
        self.generation = generation
    }

    /// Forgets the sums (the cache's numbers changed).
    mutating func removeAll() {
        hours = nil
        sums = [:]
    }
}
