import CSQLite

/// Share attributions looked up by token in the database, remembered from one answer to the next:
/// the live batches' tokens mostly stay the same for a flush interval or two, so each is read
/// about once instead of once per answer. Groups are numbered, so that summing live counters per
/// group hashes an integer, not five strings.
///
/// A stored share's attributes change only when `sharectl forget --advocate` renames its advocate,
/// which the cache notices (`trim(renames:)`); a token without a stored share is remembered only
/// while the tables hold the same generation (its share may be stored by the next batch applied).
/// The groups of rollup rows summed in memory (`StoredSums`) are numbered by their `share_groups`
/// id, each with a number of its own: a group may then have two numbers, one found by its
/// attributes (a share's) and one by its id. Every use of a number reads the group's attributes
/// (`groups`) or projects them, so such a group is still summed once per projection. Bounded:
/// past `capacity` tokens the tokens are forgotten, and past `capacity` groups everything is.
final class AttributionCache {
    static let capacity = 200_000
    /// The groups kept at most before every group is renumbered (`capacity`; tests make it small).
    var groupCapacity = AttributionCache.capacity

    private(set) var groups: [GroupKey] = []
    /// Per group number: whether the tables are known to hold the group (a stored share has it, or
    /// a rollup row names it); shares are never deleted, so it stays held. A new share's group may
    /// be held under another number (one by id) all the same.
    private(set) var isStored: [Bool] = []
    private var groupIDs: [GroupKey: Int32] = [:]
    private var byToken: [String: Int32] = [:]
    private var byStoredGroup: [Int64: Int32] = [:]
    /// Tokens the tables hold no share for, at the generation they hold.
    private var unshared = GenerationMemo<String, Void>()
    private var renames: Int64 = 0
    private let lookup: Statement
    private let storedGroup: Statement
    private let database: Database
    /// How many groups `number(storedGroups:)` reads per statement (tests make it small).
    var storedGroupsAtOnce = 1_000 {
        didSet { storedGroups = nil }
    }
    /// Prepared for `storedGroupsAtOnce` ids when first used.
    private var storedGroups: Statement?

    init(_ database: Database) throws {
        lookup = try database.prepare(
            "SELECT advocate, venue, coalesce(campaign, ''), network, tier FROM main.shares WHERE token = ?")
        storedGroup = try database.prepare(
            "SELECT advocate, venue, campaign, network, tier FROM main.share_groups WHERE id = ?")
        self.database = database
    }

    /// Empties the cache if it has too many groups, or if an advocate was renamed (`renames`, the
    /// database's `meta.advocates_renamed`, changed) since it was filled; forgets the tokens alone
    /// if there are too many of them. Call only between answers (it may renumber the groups).
    /// Returns whether it renumbered the groups.
    func trim(renames: Int64) -> Bool {
        defer { self.renames = renames }
        if byToken.count > Self.capacity { byToken.removeAll() }
        guard groups.count > groupCapacity || renames != self.renames else { return false }
        groups.removeAll()
        isStored.removeAll()
        groupIDs.removeAll()
        byToken.removeAll()
        byStoredGroup.removeAll()
        return true
    }

    /// Starts an answer over the tables at `generation` (the last batch they hold).
    func see(_ generation: UInt64) {
        unshared.see(generation)
    }

    /// The group of `token`'s stored share if the cache has it (no lookup in the database).
    func knownGroup(ofStored token: String) -> Int32? {
        byToken[token]
    }

    /// Remembers the groups of shares the tables hold now (by token: those of a batch just
    /// applied, as `LiveGroups` numbered them), so that their later deltas are not looked up in
    /// the database: at 20,000 events/s each answer read several hundred of them, a random page
    /// each, the first time a later delta named one (docs/benchmarks.md, round 20).
    func remember(stored shares: [String: Int32]) {
        for (token, group) in shares {
            byToken[token] = group
            isStored[Int(group)] = true
        }
    }

    /// The group of `token`'s stored share; nil if the database has no share with that token.
    func group(ofStored token: String) throws -> Int32? {
        if let id = byToken[token] { return id }
        guard unshared[token] == nil else { return nil }
        try lookup.bind(token, at: 1)
        guard let key = try lookup.rows({ Self.key($0) }).first else {
            unshared[token] = ()
            return nil
        }
        let id = group(key)
        isStored[Int(id)] = true
        byToken[token] = id
        return id
    }

    /// The group of the `share_groups` row `id` (one a rollup row names, so it exists).
    func group(ofStoredGroup id: Int64) throws -> Int32 {
        if let number = byStoredGroup[id] { return number }
        try storedGroup.bind(id, at: 1)
        guard let key = try storedGroup.rows({ Self.key($0) }).first else {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "a rollup row names share group \(id), which share_groups does not hold")
        }
        return number(storedGroup: id, key)
    }

    /// The group of the `share_groups` row `id`, whose attributes `row` gives from `column` on
    /// (read only if it has no number yet).
    private func group(ofStoredGroup id: Int64, attributes row: Statement, from column: Int32) -> Int32 {
        byStoredGroup[id] ?? number(storedGroup: id, Self.key(row, from: column))
    }

    /// Whether the `share_groups` row `id` has a number.
    func hasNumbered(storedGroup id: Int64) -> Bool {
        byStoredGroup[id] != nil
    }

    /// Numbers the `share_groups` rows `ids` (sorted; those not numbered yet), reading them
    /// `storedGroupsAtOnce` at a time, in id order. Reading them through a subquery of the rollup
    /// rows that name them read those rows twice, and built a temporary index of every row's id
    /// rather than of each group's (docs/benchmarks.md, round 19).
    func number(storedGroups ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        groups.reserveCapacity(groups.count + ids.count)
        isStored.reserveCapacity(groups.count + ids.count)
        byStoredGroup.reserveCapacity(byStoredGroup.count + ids.count)
        let atOnce = storedGroupsAtOnce
        let read = try storedGroups ?? database.prepare("""
            SELECT id, advocate, venue, campaign, network, tier FROM main.share_groups
            WHERE id IN (\(Array(repeating: "?", count: atOnce).joined(separator: ", ")))
            """)
        storedGroups = read
        for start in stride(from: 0, to: ids.count, by: atOnce) {
            // A short last chunk repeats its last id (the `IN` list holds each once).
            let last = min(start + atOnce, ids.count) - 1
            for slot in 0..<atOnce { try read.bind(ids[min(start + slot, last)], at: Int32(slot + 1)) }
            defer { read.reset() }
            while try read.step() { _ = group(ofStoredGroup: read.int64(0), attributes: read, from: 1) }
        }
    }

    /// A number of its own for the `share_groups` row `id`, not looked up by its attributes
    /// (hashing the five strings of each of a venue's 46,000 groups, and growing the table of
    /// them, was a quarter of a first `top --venue` at 2M shares: docs/benchmarks.md, round 18).
    private func number(storedGroup id: Int64, _ key: GroupKey) -> Int32 {
        let number = Int32(groups.count)
        groups.append(key)
        isStored.append(true)
        byStoredGroup[id] = number
        return number
    }

    private static func key(_ row: Statement, from column: Int32 = 0) -> GroupKey {
        GroupKey(advocate: row.string(column) ?? "", venue: row.string(column + 1) ?? "", campaign: row.string(column + 2) ?? "",
                 network: row.string(column + 3) ?? "", tier: row.string(column + 4) ?? "")
    }

    /// The number of `key`.
    func group(_ key: GroupKey) -> Int32 {
        if let id = groupIDs[key] { return id }
        let id = Int32(groups.count)
        groups.append(key)
        isStored.append(false)
        groupIDs[key] = id
        return id
    }
}
