import ShareTrackCore

/// Per filter, what `tiers` over all time found of the (tier, advocate) pairs of the live groups the
/// tables are not known to hold, remembered from one answer to the next. A group's pair is
/// projected once (`Projections`: an array lookup per group after that). A pair found among the
/// stored groups the filter selects stays found: group rows are only ever added, and `forget
/// --advocate` renames an advocate's rows together (`LiveRows` forgets these then, as it does when
/// the cache renumbers its groups). A pair not found is new while the tables hold the same batches.
/// Each was looked up, and its strings hashed, on every answer: a third of a live `tiers`.
struct StoredPairs {
    private struct Found {
        var pairs = Projections()
        /// Per pair index: found among the stored groups.
        var stored: [Bool] = []
        /// Per pair index: the generation of the tables, plus one, at which it was not found (0: not
        /// looked up).
        var missing: [UInt64] = []
        /// Per pair index: the last answer that counted it.
        var counted: [Int] = []
    }

    private var byFilter: [QueryFilter: Found] = [:]
    private var answers = 0
    private static let filters = 8
    private static let pair = GroupKey.Projection(["tier", "advocate"])

    /// The (tier, advocate) pairs of `groups` (numbers whose keys `key` gives) that no stored group
    /// `filter` selects has, in tables that hold batches up to `generation`; `isStored` looks one
    /// up (the tier and advocate of a key).
    mutating func newPairs(of groups: some Sequence<Int32>, under filter: QueryFilter, generation: UInt64,
                           key: (Int32) -> GroupKey, isStored: (GroupKey) throws -> Bool) rethrows -> [GroupKey] {
        var found = byFilter.removeValue(forKey: filter) ?? Found()
        defer {
            if byFilter.count >= Self.filters { byFilter.removeAll() }
            byFilter[filter] = found
        }
        answers += 1
        var new: [GroupKey] = []
        for group in groups {
            guard let index = found.pairs.index(of: group, { key($0).projected(Self.pair) }).map(Int.init)
            else { continue }
            if index >= found.stored.count {
                found.stored.append(false)
                found.missing.append(0)
                found.counted.append(0)
            }
            guard !found.stored[index], found.counted[index] != answers else { continue }
            if found.missing[index] != generation + 1 {
                found.stored[index] = try isStored(found.pairs.keys[index])
                found.missing[index] = found.stored[index] ? 0 : generation + 1
                guard !found.stored[index] else { continue }
            }
            found.counted[index] = answers
            new.append(found.pairs.keys[index])
        }
        return new
    }

    /// The filters whose pairs are kept.
    var filters: [QueryFilter] { Array(byFilter.keys) }
    var isEmpty: Bool { byFilter.isEmpty }

    mutating func removeAll() {
        byFilter.removeAll()
    }
}
