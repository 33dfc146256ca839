import ShareTrackCore

/// The stored part of a sum over many share groups, summed per group in memory: the rows of a
/// range of hours (`rollup_hour_groups`), per group number of the `AttributionCache`, so that an
/// answer adds the live groups and sums both per its attributes in one pass (`LiveRows`).
///
/// SQLite sums a range per group with a sorter over every (hour, group) row it holds, then looks
/// each group's attributes up: 24 h while ingest ran at 20,000 events/s held 131,000 rows and
/// 57,000 groups, and that took 190 ms of a 320 ms `top` (docs/benchmarks.md, round 10). Here the
/// rows are read in key order and summed in a dictionary, each group's attributes are looked up
/// once while the cache keeps its numbers, and the sums are kept for the next answer over the same
/// range: as they are at the generation they were read at, plus what each batch applied since added
/// to the rollups (`advance`), where every such batch was kept live until it was applied. (A venue
/// over all time was summed here too until schema version 11 gave it a rollup per advocate and
/// venue, `Rollup.venueAdvocates`: docs/benchmarks.md, round 21.)
struct StoredSums {
    private struct Kept {
        var generation: UInt64
        var sums: [Int32: Counters]
        var lastUsed: UInt64
    }

    private let readHours: Statement
    private var kept: [Range<Int64>: Kept] = [:]
    /// Ranges found to have more than `groupLimit` groups (which only grow), not read again.
    private var tooLarge: Set<Range<Int64>> = []
    private var answers: UInt64 = 0
    /// The most groups one range is summed for here; a larger one is left to SQL (tests make it small).
    var groupLimit = AttributionCache.capacity / 2
    /// The most groups kept in all: the least recently used ranges go first.
    private static let keptGroups = AttributionCache.capacity * 3 / 4
    private static let tooLargeKept = 64

    init(_ database: Database) throws {
        readHours = try database.prepare(
            "SELECT id, \(Rows.counterNames.joined(separator: ", ")) FROM main.rollup_hour_groups WHERE hour >= ? AND hour < ?")
    }

    /// The sums of `hours` in the tables at `generation` (the last batch they hold), read unless
    /// kept; nil if it has more than `groupLimit` groups.
    mutating func sums(_ hours: Range<Int64>, generation: UInt64, cache: AttributionCache) throws -> [Int32: Counters]? {
        answers += 1
        if let sums = kept[hours], sums.generation == generation {
            kept[hours]?.lastUsed = answers
            return sums.sums
        }
        kept[hours] = nil
        guard !tooLarge.contains(hours) else { return nil }
        guard let sums = try slid(to: hours, generation: generation, cache) ?? sums(of: hours, cache) else {
            markTooLarge(hours)
            return nil
        }
        keep(Kept(generation: generation, sums: sums, lastUsed: answers), for: hours)
        return sums
    }

    /// The sums of a range of hours per group; nil past `groupLimit` groups.
    private func sums(of hours: Range<Int64>, _ cache: AttributionCache) throws -> [Int32: Counters]? {
        var sums: [Int32: Counters] = [:]
        return try add(hours, to: &sums, cache) ? sums : nil
    }

    /// Adds the rows of `hours` to `sums` per group (`subtracting`: takes them away); false past
    /// `groupLimit` groups.
    private func add(_ hours: Range<Int64>, subtracting: Bool = false, to sums: inout [Int32: Counters],
                     _ cache: AttributionCache) throws -> Bool {
        try readHours.bind(hours.lowerBound, at: 1)
        try readHours.bind(hours.upperBound, at: 2)
        defer { readHours.reset() }
        var byID: [Int64: Counters] = [:]
        while try readHours.step() {
            byID[readHours.int64(0), default: Counters()].add(readHours.counters(at: 1))
            if byID.count > groupLimit { return false }
        }
        // Read together: 57,000 lookups of one made the first 24 h answer 277-322 ms, not 200-236.
        try cache.number(storedGroups: byID.keys.filter { !cache.hasNumbered(storedGroup: $0) }.sorted())
        if sums.isEmpty { sums.reserveCapacity(byID.count) }
        for (id, counters) in byID {
            let group = try cache.group(ofStoredGroup: id)
            guard subtracting else {
                sums[group, default: Counters()].add(counters)
                continue
            }
            sums[group, default: Counters()].subtract(counters)
            if sums[group]?.isZero == true { sums[group] = nil }
        }
        return sums.count <= groupLimit
    }

    /// The sums of `hours` made from those kept of a range at most `slideHours` hours away, at
    /// `generation`, which it takes over: the rows of the hours only that range holds taken away,
    /// and those of the hours only `hours` holds added. So when `--since 24h` moves on by an hour,
    /// its answer reads two hours of rows, not 24 (71,000 rows and 24,500 groups at 2M shares),
    /// and the day's sums are not kept twice. nil: no kept range is that near, or past
    /// `groupLimit` groups.
    ///
    /// A group may be kept under a number found by its attributes (a live batch's, added by
    /// `advance`) and its rows taken away under the number of its id: the two still sum to its
    /// sum in the range, since every use projects the numbers onto attributes; one that has left
    /// the range then sums to zero, which the projections leave out (`CellSums`).
    private mutating func slid(to hours: Range<Int64>, generation: UInt64, _ cache: AttributionCache) throws -> [Int32: Counters]? {
        let near = kept.compactMap { from, kept -> (from: Range<Int64>, hours: Int64)? in
            guard kept.generation == generation, let apart = Self.hoursApart(from, hours), apart <= Self.slideHours
            else { return nil }
            return (from, apart)
        }
        guard let nearest = near.min(by: { $0.hours < $1.hours }),
              var sums = kept.removeValue(forKey: nearest.from)?.sums else { return nil }
        for left in Self.hours(of: nearest.from, outside: hours) {
            guard try add(left, subtracting: true, to: &sums, cache) else { return nil }
        }
        for new in Self.hours(of: hours, outside: nearest.from) {
            guard try add(new, to: &sums, cache) else { return nil }
        }
        return sums
    }

    /// Kept sums a range slides from are at most this many hours away from it.
    static let slideHours: Int64 = 3

    /// The hours of `range` that `other` does not hold: up to two ranges, before and after it.
    static func hours(of range: Range<Int64>, outside other: Range<Int64>) -> [Range<Int64>] {
        let before = range.lowerBound..<max(range.lowerBound, min(range.upperBound, other.lowerBound))
        let after = min(range.upperBound, max(range.lowerBound, other.upperBound))..<range.upperBound
        return [before, after].filter { !$0.isEmpty }
    }

    /// How many hours one of `a` and `b` holds and the other does not; nil if unbounded.
    static func hoursApart(_ a: Range<Int64>, _ b: Range<Int64>) -> Int64? {
        let apart = hours(of: a, outside: b) + hours(of: b, outside: a)
        guard !apart.contains(where: { $0.lowerBound == .min || $0.upperBound == .max }) else { return nil }
        return apart.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
    }

    /// Keeps `sums`, forgetting the least recently used ranges while too many groups are kept.
    private mutating func keep(_ sums: Kept, for hours: Range<Int64>) {
        forgetLeastUsed(toHold: sums.sums.count)
        kept[hours] = sums
    }

    /// Forgets the least recently used ranges until `more` groups can be kept besides the rest.
    private mutating func forgetLeastUsed(toHold more: Int) {
        var total = kept.values.reduce(more) { $0 + $1.sums.count }
        while total > Self.keptGroups, let oldest = kept.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            total -= oldest.value.sums.count
            kept[oldest.key] = nil
        }
    }

    private mutating func markTooLarge(_ hours: Range<Int64>) {
        if tooLarge.count >= Self.tooLargeKept { tooLarge.removeAll() }
        tooLarge.insert(hours)
    }

    /// Brings the kept sums to the tables at `generation` where every batch applied since they
    /// were read was kept (`applied`, by generation: what each added to the rollups, `LiveGroups`,
    /// numbered by `cache`); the others are forgotten, to be read again, and so are those grown
    /// past `groupLimit` (then left to SQL).
    mutating func advance(by applied: [UInt64: LiveGroups], to generation: UInt64) {
        for hours in Array(kept.keys) {
            // Taken out, so that the sums are not shared and are added to in place.
            guard var sums = kept.removeValue(forKey: hours) else { continue }
            if sums.generation != generation {
                guard let batches = KeptGroups.batches(after: sums.generation, through: generation, in: applied) else {
                    continue
                }
                for groups in batches {
                    for (key, counters) in groups.sums where hours.contains(key.hour) {
                        sums.sums[key.group, default: Counters()].add(counters)
                    }
                }
                sums.generation = generation
                guard sums.sums.count <= groupLimit else {
                    markTooLarge(hours)
                    continue
                }
            }
            kept[hours] = sums
        }
        forgetLeastUsed(toHold: 0)
    }

    /// Whether it keeps any sums.
    var isEmpty: Bool { kept.isEmpty }

    /// Forgets every sum (the cache's numbers changed).
    mutating func removeAll() {
        kept.removeAll()
        tooLarge.removeAll()
    }
}
