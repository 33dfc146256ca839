import ShareTrackCore

/// The distinct projections of the `AttributionCache`'s numbered groups that live answers of one
/// kind (`Key`) sum per (`LiveRows`), each numbered by an index: a group number is projected once,
/// and then maps to its projection's index through an array, without hashing. Kept from one answer
/// to the next while the cache's numbers stay (groups are only added to it).
struct Projections {
    /// What a projection depends on: the attributes kept, and the filter's attribute conditions.
    struct Key: Hashable {
        var columns: Set<String>
        var filter: QueryFilter

        init(columns: Set<String>, filter: QueryFilter) {
            self.columns = columns
            self.filter = filter.allTime
        }
    }

    /// A sum's cell: an hour (0 when the answer is not per hour) and a projection's index.
    struct Cell: Hashable {
        var hour: Int64
        var index: Int32
    }

    /// The projected keys, by index.
    private(set) var keys: [GroupKey] = []
    var count: Int { keys.count }
    private var indexes: [GroupKey: Int32] = [:]
    /// Per group number: the index of its projection, `Self.excluded`, or `Self.unknown` (not
    /// projected yet, or past the end).
    private var byGroup: [Int32] = []
    private static let unknown: Int32 = -2
    private static let excluded: Int32 = -1

    /// Makes room for the projections of `groups` not projected yet, with one key for every two of
    /// them: a projection that keeps the advocate had 0.43 (a venue's groups) to 0.73 (a day's) as
    /// many keys as groups at 2M shares. Reserving one for each made the venue's table twice as
    /// large as it grows to, which cost more than the growing.
    mutating func makeRoom(for groups: some Sequence<Int32>) {
        let unprojected = groups.count { Int($0) >= byGroup.count || byGroup[Int($0)] == Self.unknown }
        keys.reserveCapacity(keys.count + unprojected / 2)
        indexes.reserveCapacity(indexes.count + unprojected / 2)
    }

    /// The index of the projection of group number `group`, made by `project` the first time (nil:
    /// the answer leaves the group out).
    mutating func index(of group: Int32, _ project: (Int32) -> GroupKey?) -> Int32? {
        if Int(group) >= byGroup.count {
            byGroup.append(contentsOf: repeatElement(Self.unknown, count: Int(group) + 1 - byGroup.count))
        }
        var index = byGroup[Int(group)]
        if index == Self.unknown {
            index = project(group).map { key in
                indexes[key] ?? {
                    let next = Int32(keys.count)
                    keys.append(key)
                    indexes[key] = next
                    return next
                }()
            } ?? Self.excluded
            byGroup[Int(group)] = index
        }
        return index == Self.excluded ? nil : index
    }
}
