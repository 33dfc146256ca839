import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// An advocate's answers over a range (`advocate ID --since`, and the report's advocates) read
/// its few share groups by their key and each one's hours by `(id, hour)`, not every group's rows
/// of the range summed first (`QueryText.rollup`): at 2M shares 8 ms against about a second per
/// statement over 30 days. Their numbers are checked against the raw rows by `RollupTests`.
@Suite struct AdvocateRangeTests {
    @Test(arguments: [["network"], ["venue"], ["tier"], []] as [[String]])
    func anAdvocatesHoursAreFoundByItsGroups(columns: [String]) throws {
        // The last 4 of 12 stored hours (a range of most hours reads the all-time rows instead).
        let filter = QueryFilter(advocate: "a1", since: (RollupTests.hour0 + 8) * 3600)
        let source = Source.rollups(storedHours: RollupTests.hour0...(RollupTests.hour0 + 11))
        let (sql, values) = source.sql(filter, columns: columns, Queries.text)
        let steps = try TierAdvocateCountTests.plan("SELECT * FROM " + sql, values, seed: 66)
        #expect(steps.contains { $0.contains("share_groups USING COVERING INDEX share_groups_by_key (advocate=?)") }, "\(steps)")
        #expect(steps.contains { $0.contains("rollup_hour_groups USING INDEX rollup_hour_groups_by_id_hour (id=? AND hour>?)") },
                "\(steps)")
    }
}
