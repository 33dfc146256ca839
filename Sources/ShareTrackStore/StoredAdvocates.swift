import ShareTrackCore

/// Every advocate's stored totals over all time (`Rollup.advocateTotals`, one row each), kept in
/// memory for `top` without a filter: as they were at the generation they were read at, plus what
/// each batch applied since added (`advance`), like `StoredSums`.
///
/// `top --by engagement` read all 100,000 rows at 2M shares for every live answer and summed them
/// with the live groups in a dictionary: 70% of a 206 ms answer (docs/benchmarks.md, round 11); the
/// additive rankings read the first rows in ranking order and looked up the live advocates that may
/// rank (`Queries.topMerged`).
struct StoredAdvocates {
    /// Every advocate's totals, in an array (and where each advocate is in it).
    struct Totals {
        fileprivate(set) var entries: [(key: String, value: Counters)] = []
        fileprivate var index: [String: Int] = [:]

        /// Adds `counters` to `advocate`'s totals.
        fileprivate mutating func add(_ counters: Counters, to advocate: String) {
            if let position = index[advocate] {
                entries[position].value.add(counters)
            } else {
                index[advocate] = entries.count
                entries.append((advocate, counters))
            }
        }

        /// Every advocate's totals plus the `live` groups (per advocate): the stored advocates' as
        /// they are read (copying the totals to add to them, an array or a dictionary of 100,000
        /// strings, took a quarter of the answer), and the advocates only `live` has.
        func adding(_ live: [(LiveRows.ProjectedGroup, Counters)])
            -> (stored: some Sequence<(key: String, value: Counters)>, newcomers: [(key: String, value: Counters)])
        {
            var more: [Int: Counters] = [:]
            more.reserveCapacity(live.count)
            var newcomers: [(key: String, value: Counters)] = []
            for index in live.indices {
                let advocate = live[index].0.key.advocate
                if let position = self.index[advocate] {
                    more[position] = live[index].1
                } else {
                    newcomers.append((advocate, live[index].1))
                }
            }
            let stored = entries.indices.lazy.map { position in
                var total = entries[position]
                if let live = more[position] { total.value.add(live) }
                return total
            }
            return (stored, newcomers)
        }
    }

    private let read: Statement
    /// The generation `kept` is at; nil: not read.
    private var generation: UInt64?
    private var kept = Totals()
    /// Whether the rollup has more than `limit` advocates (which only grow): left to SQL.
    private var tooMany = false
    /// The most advocates kept (tests make it small).
    var limit = AttributionCache.capacity

    init(_ database: Database) throws {
        read = try database.prepare(
            "SELECT advocate, \(Rows.counterNames.joined(separator: ", ")) FROM main.\(Rollup.advocateTotals.withAttributes(.sqlite))")
    }

    /// Every advocate's totals in the tables at `generation` (the last batch they hold), read unless
    /// kept; nil if there are more than `limit` advocates.
    mutating func totals(generation: UInt64) throws -> Totals? {
        guard !tooMany else { return nil }
        if generation == self.generation { return kept }
        removeAll()
        defer { read.reset() }
        while try read.step() {
            kept.add(read.counters(at: 1), to: read.string(0) ?? "")
            guard kept.entries.count <= limit else {
                markTooMany()
                return nil
            }
        }
        self.generation = generation
        return kept
    }

    /// Brings the totals to the tables at `generation` if every batch applied since they were read
    /// was kept (`applied`, by generation: what each added to the rollups, `LiveGroups`, numbered by
    /// `cache`); else forgets them, to be read again.
    mutating func advance(by applied: [UInt64: LiveGroups], to generation: UInt64, cache: AttributionCache) {
        guard let readAt = self.generation, readAt != generation else { return }
        guard let batches = KeptGroups.batches(after: readAt, through: generation, in: applied) else {
            removeAll()
            return
        }
        for groups in batches {
            for (key, counters) in groups.sums { kept.add(counters, to: cache.groups[Int(key.group)].advocate) }
        }
        self.generation = generation
        if kept.entries.count > limit { markTooMany() }
    }

    /// Whether it keeps no advocate's totals.
    var isEmpty: Bool { kept.entries.isEmpty }

    private mutating func markTooMany() {
        removeAll()
        tooMany = true
    }

    /// Forgets the totals (and whether there were too many: an advocate was renamed).
    mutating func removeAll() {
        generation = nil
        kept = Totals()
        tooMany = false
    }
}
