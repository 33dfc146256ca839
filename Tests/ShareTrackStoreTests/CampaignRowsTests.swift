import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The rollup per advocate and campaign, whose rows hold their advocate and campaign and are
/// keyed by them (schema version 18): one campaign's rows are one range of the table.
@Suite struct CampaignRowsTests {
    /// `top` for one campaign ranks the campaign's range of the table, and looks an advocate's row
    /// up by the whole key, as an advocate's report in a campaign does.
    @Test func aCampaignsRowsAreReadAsOneRangeAndAnAdvocatesByTheKey() throws {
        let campaign = QueryFilter(campaign: "c1")
        #expect(QueryText.advocateRollup(campaign) == .campaignAdvocates)
        let (ranked, rankedValues) = Queries.text.rankedAdvocateRows(campaign, ranking: .shares, limit: 20)
        let rankedSteps = try TierAdvocateCountTests.plan(ranked, rankedValues, seed: 67)
        #expect(rankedSteps.contains { $0.contains("SEARCH rollup_campaign_advocates USING PRIMARY KEY (campaign=?)") },
                "\(rankedSteps)")
        #expect(rankedSteps.count == 2, "the range, then the sorter: \(rankedSteps)")

        // Only the rows of the advocates with a share group under a filter: theirs found in the
        // index of the share groups by campaign alone, each row by the key.
        let among = QueryFilter(campaign: "c1", tier: .nano)
        let (amongSQL, amongValues) = Queries.text.rankedAdvocateRows(campaign, ranking: .reach, limit: 20, among: among)
        let amongSteps = try TierAdvocateCountTests.plan(amongSQL, amongValues, seed: 67)
        #expect(amongSteps.contains { $0.contains("COVERING INDEX share_groups_by_campaign_tier (campaign=? AND tier=?)") },
                "\(amongSteps)")
        #expect(amongSteps.contains { $0.contains("rollup_campaign_advocates USING PRIMARY KEY (campaign=? AND advocate=?)") },
                "\(amongSteps)")

        let (row, rowValues) = Queries.text.advocateRow(campaign)
        let report = Queries.text.rollup(.campaignAdvocates, QueryFilter(advocate: "a1", campaign: "c1"), columns: [])
        for (sql, values) in [(row, rowValues("a1")), ("SELECT * FROM " + report.sql, report.values)] {
            let steps = try TierAdvocateCountTests.plan(sql, values, seed: 67)
            #expect(steps.contains { $0.contains("USING PRIMARY KEY (campaign=? AND advocate=?)") }, "\(steps)")
        }
    }

    /// Each row holds the advocate and campaign of its group, and the sums of that group's share
    /// groups, as batches are applied (new rows and rows added to).
    @Test func eachRowHoldsItsGroupsAttributesAndSums() throws {
        let database = try TemporaryDatabase()
        _ = try database.queries(writing: RollupTests.batches(seed: 68, count: 10))
        try Self.expectRowsOfTheirGroups(database)
    }

    /// A database of version 17 (the rows keyed by their group's id alone), whether it was still
    /// summing them in steps or not, has the rollup made again and summed in steps from the first
    /// share group while batches keep coming, and a rename of an advocate in the middle; the
    /// answers are the same as the raw rows' before, while and after.
    @Test(arguments: [false, true])
    func aDatabaseOfVersionSeventeenHasTheRollupSummedAgainInSteps(building: Bool) throws {
        let database = try TemporaryDatabase()
        let batches = RollupTests.batches(seed: 69, count: 14)
        _ = try database.queries(writing: Array(batches.prefix(8)))
        let older = try Database(path: database.path, mode: .readWrite)
        try older.backToVersionSeventeen()
        if building {
            // Summed through share group 3 (`RollupBuilds`): the rows of the groups up to it.
            try older.execute("""
                DELETE FROM rollup_campaign_advocates;
                INSERT INTO rollup_builds VALUES ('rollup_campaign_advocates', 3);
                INSERT INTO rollup_campaign_advocates SELECT n.id, \(Rows.counterNames.map { "sum(r.\($0))" }.joined(separator: ", "))
                    FROM rollup_groups r JOIN share_groups g USING (id)
                    JOIN campaign_advocate_groups n ON n.advocate = g.advocate AND n.campaign = g.campaign
                    WHERE g.id <= 3 GROUP BY n.id;
                """)
        }
        let store = try Store(path: database.path, visitorKey: testKey)
        #expect(store.rollupsReadable && store.rollupsBuilding == ["rollup_campaign_advocates"])
        let rows = try Database(path: database.path, mode: .readOnly).prepare("SELECT count(*) FROM rollup_campaign_advocates")
        #expect(try rows.rows { $0.int64(0) } == [0])
        var steps = 0
        for (index, batch) in batches.dropFirst(8).enumerated() {
            try store.apply(index == 2 ? RollupTests.forgetting("a2", before: batch) : batch)
            try RollupTests.expectSameAnswers(database, live: [], seed: 200 + UInt64(index), allTime: true)
            if try !store.buildRollups(rows: 2) { steps += 1 }
        }
        while try !store.buildRollups(rows: 2) { steps += 1 }
        #expect(steps > 3)
        try RollupTests.expectSameAnswers(database, live: [], seed: 210, allTime: true)
        try Self.expectRowsOfTheirGroups(database)
        let renamed = try Database(path: database.path, mode: .readOnly)
            .prepare("SELECT count(*) FROM rollup_campaign_advocates WHERE advocate = 'a2'").rows { $0.int64(0) }
        #expect(renamed == [0])
    }

    /// Every row of the rollup against its group's attributes and `rollup_groups` summed per
    /// advocate and campaign.
    static func expectRowsOfTheirGroups(_ database: TemporaryDatabase) throws {
        let counters = Rows.counterNames.joined(separator: ", ")
        let sums = Rows.counterNames.map { "sum(\($0))" }.joined(separator: ", ")
        let differences = try Database(path: database.path, mode: .readOnly).prepare("""
            SELECT count(*), (SELECT count(*) FROM rollup_campaign_advocates) FROM (
                SELECT advocate, campaign, \(counters) FROM rollup_campaign_advocates r
                    JOIN campaign_advocate_groups g USING (id, advocate, campaign)
                EXCEPT SELECT advocate, campaign, \(sums) FROM rollup_groups JOIN share_groups USING (id)
                    GROUP BY advocate, campaign)
            """).rows { [$0.int64(0), $0.int64(1)] }
        #expect(differences.count == 1 && differences[0][0] == 0 && differences[0][1] > 5, "\(differences)")
        let unmatched = try Database(path: database.path, mode: .readOnly).prepare("""
            SELECT count(*) FROM (SELECT advocate, campaign FROM share_groups
                EXCEPT SELECT advocate, campaign FROM rollup_campaign_advocates)
            """).rows { $0.int64(0) }
        #expect(unmatched == [0])
    }
}
