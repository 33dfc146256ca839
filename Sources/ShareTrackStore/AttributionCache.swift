/// Share attributions looked up by token in the database, remembered from one answer to the next:
/// the live batches' tokens mostly stay the same for a flush interval or two, so each is read
/// about once instead of once per answer. Groups are numbered, so that summing live counters per
/// group hashes an integer, not five strings.
///
/// A stored share's attributes change only when `sharectl forget --advocate` renames its advocate,
/// which the cache notices (`trim(renames:)`); a token without a stored share is not remembered
/// (its share may be stored by the next batch applied). Bounded: past `capacity` tokens the cache
/// starts again empty.
final class AttributionCache {
    static let capacity = 200_000

    private(set) var groups: [GroupKey] = []
    private var groupIDs: [GroupKey: Int32] = [:]
    private var byToken: [String: Int32] = [:]
    private var renames: Int64 = 0
    private let lookup: Statement

    init(_ database: Database) throws {
        lookup = try database.prepare(
            "SELECT advocate, venue, coalesce(campaign, ''), network, tier FROM main.shares WHERE token = ?")
    }

    /// Empties the cache if it is full, or if an advocate was renamed (`renames`, the database's
    /// `meta.advocates_renamed`, changed) since it was filled; call only between answers (it
    /// renumbers the groups). Returns whether it emptied the cache.
    func trim(renames: Int64) -> Bool {
        defer { self.renames = renames }
        guard byToken.count > Self.capacity || groups.count > Self.capacity || renames != self.renames else { return false }
        groups.removeAll()
        groupIDs.removeAll()
        byToken.removeAll()
        return true
    }

    /// The group of `token`'s stored share; nil if the database has no share with that token.
    func group(ofStored token: String) throws -> Int32? {
        if let id = byToken[token] { return id }
        try lookup.bind(token, at: 1)
        guard let key = try lookup.rows({ row in
            GroupKey(advocate: row.string(0) ?? "", venue: row.string(1) ?? "", campaign: row.string(2) ?? "",
                     network: row.string(3) ?? "", tier: row.string(4) ?? "")
        }).first else { return nil }
        let id = group(key)
        byToken[token] = id
        return id
    }

    /// The number of `key`.
    func group(_ key: GroupKey) -> Int32 {
        if let id = groupIDs[key] { return id }
        let id = Int32(groups.count)
        groups.append(key)
        groupIDs[key] = id
        return id
    }
}
