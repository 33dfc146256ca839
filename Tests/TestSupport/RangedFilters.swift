import ShareTrackCore

/// The filters the tests of `top` over ranges of days ask with (`RangeTopTests` locally,
/// `SharedTopMergeTests` in the shared store), over data in the 120 hours from `hour0`: seven
/// filters, each over most of the hours, over a few days of them, and over less than a day.
public enum RangedFilters {
    public static let hours: Int64 = 120

    public static func all(from hour0: Int64) -> [QueryFilter] {
        let ranges: [(since: Int64?, until: Int64?)] = [
            (hour0 + 10, nil), (hour0 + 60, nil), (hour0 + 30, hour0 + 90), (nil, hour0 + 70), (hour0 + 100, nil),
        ]
        let filters = [
            QueryFilter(), QueryFilter(venue: "v1"), QueryFilter(campaign: "c1"), QueryFilter(network: "tiktok"),
            QueryFilter(tier: .nano), QueryFilter(campaign: "c2", tier: .micro), QueryFilter(venue: "v0", network: "instagram"),
        ]
        return ranges.flatMap { range in
            filters.map { filter in
                var ranged = filter
                ranged.since = range.since.map { $0 * 3600 }
                ranged.until = range.until.map { $0 * 3600 }
                return ranged
            }
        }
    }
}
