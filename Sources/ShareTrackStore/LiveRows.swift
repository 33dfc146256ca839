import ShareTrackCore

/// The TEMP tables through which a query sees the batches the tables do not hold yet, filled at the
/// start of each answer's read transaction (whose rollback empties them again):
/// - `live_shares` and `live_counters`: the batches' raw rows, with the columns of `shares` and
///   `counters`, read through the views `all_shares`, `all_counters` and `attributed` (counter rows
///   with their share's attribution; orphans left out);
/// - `live_groups`: the batches' counters summed per share group (`LiveGroups`), already filtered
///   and summed per the attributes the answer reads (the others `''`), which a query over the
///   rollups adds to what it reads from them. The batches' groups are kept between answers
///   (`BatchGroups`), so an answer sums what the pending batch gained since the last one, not the
///   whole backlog, and inserts one row per answer group, not one per share group.
final class LiveRows {
    /// Which live rows an answer needs.
    enum Scope {
        /// The raw rows of every token (the answer reads only raw rows).
        case raw
        /// The raw rows of one token.
        case token(String)
        /// The raw rows and groups of one advocate's shares, the groups filtered.
        case advocate(String, QueryFilter)
        /// Every group, filtered, summed per `columns` (attributes, and `hour` for per hour);
        /// `deferred`: into `grouped` only, `live_groups` filled by `fill()` if the answer needs it.
        case groups(QueryFilter, columns: Set<String>, deferred: Bool = false)
        /// As `groups`, deferred, with the stored groups of a range of hours (`StoredSums`; the
        /// filter's) summed in too: `grouped` is then the whole answer, never put in `live_groups`;
        /// unless the range has too many groups (`groupedAll` false).
        case stored(Range<Int64>, QueryFilter, columns: Set<String>)
        /// Every group per advocate, deferred, and every advocate's stored totals in
        /// `advocateTotals` (`StoredAdvocates`; nil if there are too many).
        case everyAdvocate
        /// Every group, filtered, summed per tier, deferred; and in `newGroups` the numbers of those
        /// the tables are not known to hold (`AttributionCache.isStored`): `tiers` over all time
        /// counts the advocates of their (tier, advocate) pairs that no stored group has.
        case tiers(QueryFilter)
        /// Nothing for an answer: the final batches' groups are kept, and what is kept in memory
        /// advances to the tables, so that it follows batches applied while nobody asks
        /// (`Queries.keepUp`); if `tiers` keeps pairs (`storedPairs`), the numbers of the final
        /// batches' groups the tables are not known to hold go in `newGroups`, unfiltered.
        case kept
    }

    private let database: Database
    private let insertShare: Statement
    private let insertCounter: Statement
    private let insertGroup: Statement
    private let advocateTokens: Statement
    private var batchHours = BatchHours()
    let attributions: AttributionCache
    private let batchGroups: BatchGroups
    /// The stored groups summed in memory (`Scope.stored`); tests set its limit.
    var storedSums: StoredSums
    /// Every advocate's stored totals (`Scope.everyAdvocate`); tests set its limit.
    var storedAdvocates: StoredAdvocates
    /// The projections of recent kinds of answer, numbered like `attributions`: at most
    /// `projectionKinds` kinds (each at most 4 bytes per numbered group: 13 MB at most), and no
    /// more projections in all than the cache has groups at most. Forgetting them makes the next
    /// answers project every group of their extent again (10-40 ms at 2M shares): the query bench
    /// alone asks 9 kinds.
    private var projections: [Projections.Key: Projections] = [:]
    private static let projectionKinds = 16
    /// An answer's sums per projection, emptied as each answer takes them.
    private var sums = CellSums()
    /// What the last `.groups` load summed for `live_groups`, and whether it is in there yet.
    /// Each load empties it keeping its room: an array of a day's 35,000 groups made anew for each
    /// answer was fresh pages each time, a quarter of the summing (docs/benchmarks.md, session 64).
    private(set) var grouped: [(ProjectedGroup, Counters)] = []
    /// Whether `grouped` holds the stored groups too (a `.stored` load): the whole answer.
    private(set) var groupedAll = false
    /// Every advocate's stored totals, after an `.everyAdvocate` load.
    private(set) var advocateTotals: StoredAdvocates.Totals?
    /// The groups a `.tiers` load summed that the tables are not known to hold.
    private(set) var newGroups: Set<Int32> = []
    /// What `tiers` found of its new groups' pairs, kept for its next answers.
    var storedPairs = StoredPairs()
    /// Whether it keeps stored sums or totals in memory, which follow the batches applied only
    /// through the groups kept of each while it was live.
    var keepsStored: Bool { !storedSums.isEmpty || !storedAdvocates.isEmpty }
    /// The last batch the tables held at the last load.
    private(set) var generation: UInt64 = 0
    /// Where the kept groups of the daemon's pending batch stand: the next load wants what the
    /// batch gained after this (`LiveData.pendingEffects`).
    var pendingSeen: PendingEffects.Position? { batchGroups.pendingSeen }
    private var filled = true
    private var byHour = false

    init(_ database: Database) throws {
        self.database = database
        try database.execute(Self.schema)
        insertShare = try database.prepare(
            "INSERT OR IGNORE INTO temp.live_shares (\(Rows.shareColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        insertCounter = try database.prepare(
            "INSERT INTO temp.live_counters (\(Rows.counterColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        insertGroup = try database.prepare(
            "INSERT INTO temp.live_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        advocateTokens = try database.prepare("SELECT token FROM main.shares WHERE advocate = ?")
        attributions = try AttributionCache(database)
        batchGroups = try BatchGroups(database, attributions: attributions)
        storedSums = try StoredSums(database)
        storedAdvocates = try StoredAdvocates(database)
    }

    /// Fills the tables with what `scope` needs of `batches` (those the tables do not hold), in
    /// the caller's read transaction, which read `renames` from `meta.advocates_renamed` and
    /// `generation`, the last batch the tables hold, from `meta.generation`; `effects`: what the
    /// daemon's pending batch gained since `pendingSeen` (`LiveData`).
    func load(_ batches: [Batch], _ scope: Scope, renames: Int64, generation: UInt64,
              effects: (pending: PendingEffects?, flushed: PendingEffects?) = (nil, nil)) throws {
        if attributions.trim(renames: renames) {
            batchGroups.removeAll()
            projections.removeAll()
            storedSums.removeAll()
            storedAdvocates.removeAll()
            storedPairs.removeAll()
        }
        attributions.see(generation)
        self.generation = generation
        grouped.removeAll(keepingCapacity: true)
        groupedAll = false
        advocateTotals = nil
        newGroups = []
        filled = true
        let applied = batchGroups.start(batches, generation: generation, effects: effects)
        for (batch, groups) in applied where batch <= generation { attributions.remember(stored: groups.shareGroups) }
        storedSums.advance(by: applied, to: generation)
        storedAdvocates.advance(by: applied, to: generation, cache: attributions)
        switch scope {
        case .raw:
            try copy(batches)
        case .token(let token):
            try copy(batchHours.only([token], of: batches))
        case .advocate(let advocate, let filter):
            try advocateTokens.bind(advocate, at: 1)
            var tokens = Set(try advocateTokens.rows { $0.string(0) ?? "" })
            for batch in batches {
                for share in batch.shares where share.attributes.advocate == advocate { tokens.insert(share.token) }
            }
            let own = batchHours.only(tokens, of: batches)
            try copy(own)
            var groups: [LiveGroups] = []
            for batch in own { groups.append(try batchGroups.groups(of: batch, after: groups)) }
            var summed: [(ProjectedGroup, Counters)] = []
            group(groups.map(\.sums), stored: [:], filter, columns: Set(GroupKey.attributes), into: &summed)
            try insert(summed, byHour: false)
        case .groups(let filter, let columns, let deferred):
            try groupLive(batches, filter, columns: columns)
            if !deferred { try fill() }
        case .stored(let hours, let filter, let columns):
            let stored = try storedSums.sums(hours, generation: generation, cache: attributions)
            try groupLive(batches, filter, columns: columns, stored: stored ?? [:])
            groupedAll = stored != nil
            filled = groupedAll  // the whole answer is never put in `live_groups`
        case .everyAdvocate:
            try groupLive(batches, QueryFilter(), columns: ["advocate"])
            advocateTotals = try storedAdvocates.totals(generation: generation)
        case .tiers(let filter):
            try groupLive(batches, filter, columns: ["tier"], collectingNew: true)
        case .kept:
            let final = try batchGroups.keepFinal(batches.dropLast())
            guard !storedPairs.isEmpty else { return }
            for groups in final {
                for key in groups.sums.keys where !attributions.isStored[Int(key.group)] { newGroups.insert(key.group) }
            }
        }
    }

    /// Sums the groups of `batches` that `filter` selects, and `stored`, per `columns` into
    /// `grouped`, for `fill()` to put in `live_groups` if the answer reads them there;
    /// `collectingNew`: and those of the groups the tables are not known to hold into `newGroups`.
    private func groupLive(_ batches: [Batch], _ filter: QueryFilter, columns: Set<String>,
                           stored: [Int32: Counters] = [:], collectingNew: Bool = false) throws {
        group(try batchGroups.parts(batches), stored: stored, filter, columns: columns, collectingNew: collectingNew,
              into: &grouped)
        byHour = columns.contains("hour")
        filled = false
    }

    /// Copies the raw rows of `batches` (cut down to the tokens an answer reads, if it reads few:
    /// `BatchHours`).
    private func copy(_ batches: [Batch]) throws {
        for batch in batches {
            for share in batch.shares {
                try insertShare.bind(share)
                try insertShare.run()
            }
            for (key, counters) in batch.counters {
                try insertCounter.bind(key, counters)
                try insertCounter.run()
            }
        }
    }

    /// The groups of `parts` that `filter` selects, in its hour range, and of `stored` (already in
    /// the range; not per hour), summed per the attributes in `columns` (the others `''`) and, if
    /// `columns` has `hour`, per hour (else hour 0); `collectingNew`: the numbers of the groups of
    /// `parts` summed that the tables are not known to hold into `newGroups`.
    ///
    /// Each group number is projected once for each kind of answer, to the index of its projection
    /// (`Projections`), so a live cell costs an array lookup and the hashing of two integers:
    /// projecting every cell, and hashing the five strings of its projected key, took a fifth of a
    /// live answer's time (docs/benchmarks.md, round 9). The sums are appended to `into`.
    private func group(_ parts: [[LiveGroups.Key: Counters]], stored: [Int32: Counters], _ filter: QueryFilter,
                       columns: Set<String>, collectingNew: Bool = false, into grouped: inout [(ProjectedGroup, Counters)])
    {
        let hours = (filter.sinceHour ?? .min)..<(filter.untilHour ?? .max)
        let byHour = columns.contains("hour")
        let kind = Projections.Key(columns: columns, filter: filter)
        var projections = self.projections.removeValue(forKey: kind) ?? Projections()
        defer {
            let kept = self.projections.values.reduce(projections.count) { $0 + $1.count }
            if self.projections.count >= Self.projectionKinds || kept > AttributionCache.capacity {
                self.projections.removeAll()
            }
            self.projections[kind] = projections
        }
        let projection = GroupKey.Projection(columns)
        let project = { (group: Int32) -> GroupKey? in
            let key = self.attributions.groups[Int(group)]
            return key.matches(filter) ? key.projected(projection) : nil
        }
        // Kept by the advocate and none left out, the groups have many keys: room for them first,
        // since growing the keys' table hashes every key again at each doubling (a third of the
        // projecting in a first `tiers --since 24h` over 24,000 groups at 2M shares). A filter on
        // an attribute may keep few of them (a venue, a twentieth of a day's).
        if columns.contains("advocate") && kind.filter == QueryFilter() { projections.makeRoom(for: stored.keys) }
        // Added to as a local: as this class's stored property, each add was checked for exclusive
        // access at run time (2% of the summing, docs/benchmarks.md, session 64).
        var sums = CellSums()
        swap(&sums, &self.sums)
        defer { swap(&sums, &self.sums) }
        for (group, counters) in stored {
            guard let index = projections.index(of: group, project) else { continue }
            sums.add(counters, to: Projections.Cell(hour: 0, index: index))
        }
        for part in parts {
            for (key, counters) in part where hours.contains(key.hour) {
                guard let index = projections.index(of: key.group, project) else { continue }
                sums.add(counters, to: Projections.Cell(hour: byHour ? key.hour : 0, index: index))
                if collectingNew && !attributions.isStored[Int(key.group)] { newGroups.insert(key.group) }
            }
        }
        sums.drain { cell, sum in
            grouped.append((ProjectedGroup(hour: cell.hour, key: projections.keys[Int(cell.index)]), sum))
        }
    }

    /// Fills `live_groups` with what a deferred `.groups` load summed, once.
    func fill() throws {
        guard !filled else { return }
        filled = true
        try insert(grouped, byHour: byHour)
    }

    /// Fills `live_groups` with `sums` (`byHour`: with their hours; else hour NULL).
    private func insert(_ sums: [(ProjectedGroup, Counters)], byHour: Bool) throws {
        for (group, counters) in sums {
            let key = group.key
            try insertGroup.bind(byHour ? group.hour : nil, at: 1)
            for (offset, attribute) in GroupKey.attributes.enumerated() {
                try insertGroup.bind(key[attribute], at: Int32(offset + 2))
            }
            try insertGroup.bind(counters, from: 7)
            try insertGroup.run()
        }
    }

    /// A live group's hour and projected attributes.
    struct ProjectedGroup {
        var hour: Int64
        var key: GroupKey
    }

    /// `attributed` joins the shares to each counters table apart: SQLite then looks counters up
    /// by token (and hour) instead of materialising a union of all counters.
    private static let schema = """
        PRAGMA temp_store = MEMORY;
        CREATE TEMP TABLE live_shares AS SELECT * FROM main.shares WHERE 0;
        CREATE UNIQUE INDEX temp.live_shares_by_token ON live_shares (token);
        CREATE TEMP TABLE live_counters AS SELECT \(Rows.counterColumns) FROM main.counters WHERE 0;
        CREATE INDEX temp.live_counters_by_token ON live_counters (token, hour);
        CREATE TEMP VIEW all_shares AS
            SELECT \(Rows.shareColumns) FROM main.shares UNION ALL SELECT \(Rows.shareColumns) FROM temp.live_shares;
        CREATE TEMP VIEW all_counters AS
            SELECT \(Rows.counterColumns) FROM main.counters
            UNION ALL SELECT \(Rows.counterColumns) FROM temp.live_counters;
        CREATE TEMP VIEW attributed AS
            SELECT \(Rows.attributedColumns) FROM temp.all_shares JOIN main.counters USING (token)
            UNION ALL SELECT \(Rows.attributedColumns) FROM temp.all_shares JOIN temp.live_counters USING (token);
        CREATE TEMP TABLE live_groups (
            hour INTEGER, \((GroupKey.attributes.map { "\($0) TEXT NOT NULL" } + Rows.counterNames.map { "\($0) INTEGER NOT NULL" })
                .joined(separator: ", ")));
        """
}
