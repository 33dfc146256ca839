import ShareTrackCore
@testable import ShareTrackShared
import ShareTrackStore
import Testing

/// Schema version 16 of the shared store (`HourGroupRows`): the hourly rows of share groups hold
/// their group's attributes, filled in steps after the migration, so that an answer over a range
/// reads the range's rows alone.
@Suite("Shared store hourly rows with their attributes")
struct SharedHourGroupRowsTests {
    /// The FROM clause `top` with `filter` over the last `hours` of 200 stored hours (or `sum`'s
    /// columns) reads its sums from, while `building` is being built.
    static func rangeSums(_ filter: QueryFilter = QueryFilter(), hours: Int64 = 50, columns: [String] = ["advocate"],
                          building: Set<String> = []) -> String {
        var filter = filter
        filter.since = (RandomChain.hour0 + 201 - hours) * 3600
        return Source.rollups(storedHours: RandomChain.hour0...(RandomChain.hour0 + 200), building: building)
            .sql(filter, columns: columns, QueryText(.postgres)).sql
    }

    @Test("the rows are read alone where that reads fewer rows than the filter's groups would: not for an advocate, nor for a venue or a campaign over more than two days")
    func readsRowsAloneWhereCheaper() {
        let joined = "\(HourGroupRows.table)) AS \(HourGroupRows.table) JOIN share_groups USING (id)"
        let cases: [(QueryFilter, Int64, [String], Bool)] = [
            (QueryFilter(), 150, ["advocate"], false), (QueryFilter(network: "x", tier: .nano), 50, ["advocate"], false),
            (QueryFilter(venue: "v1"), 48, ["advocate"], false), (QueryFilter(campaign: "c1", tier: .nano), 24, ["advocate"], false),
            (QueryFilter(venue: "v1"), 49, ["advocate"], true), (QueryFilter(campaign: "c1"), 72, ["advocate"], true),
            (QueryFilter(advocate: "a1"), 24, [], true), (QueryFilter(advocate: "a1"), 150, [], true),
            // Over most of the stored hours: the hours outside the range, 50 of them.
            (QueryFilter(venue: "v1"), 150, ["advocate"], true), (QueryFilter(venue: "v1"), 170, ["advocate"], false),
        ]
        for (filter, hours, columns, expectJoined) in cases {
            let sql = Self.rangeSums(filter, hours: hours, columns: columns)
            #expect(sql.contains(joined) == expectJoined && sql.contains(HourGroupRows.table), "\(filter) \(hours) h: \(sql)")
        }
    }

    @Test("a store at schema version 15 gets the attributes of its hourly rows filled in steps, exact at every step while nodes ship, fold and rename; ranges then read the rows alone; version 15 shipments and folds are then refused")
    func fillsVersionFifteen() throws {
        var (connection, migrated, nodes, chain) = try SharedSchemaMigrationTests.migratedWithRowsToFold(
            from: 15, SharedSchemaMigrationTests.backToVersionFifteen, seed: 1616)
        #expect(try migrated.rollupsBuilding() == [HourGroupRows.table])
        let unfilled = "SELECT count(*) FROM \(HourGroupRows.table) WHERE advocate IS NULL"
        #expect(try connection.query(unfilled).int64(0, 0) > 20)
        // Meanwhile a range's rows are read joined with their groups.
        let joined = Self.rangeSums(building: [HourGroupRows.table])
        #expect(joined.contains("\(HourGroupRows.table) JOIN share_groups USING (id)"), "\(joined)")
        try SharedRollupTests.expectExact(connection, &chain)

        #expect(try SharedSchemaMigrationTests.buildInSteps(migrated, connection, nodes, &chain) > 3)
        #expect(try connection.query(unfilled).int64(0, 0) == 0)
        let alone = Self.rangeSums(building: [])
        #expect(!alone.contains("share_groups") && alone.contains("FROM \(HourGroupRows.table) WHERE"), "\(alone)")
        try SharedRollupTests.ship(20, of: &chain, to: nodes)
        try migrated.fold()
        try SharedRollupTests.expectExact(connection, &chain)

        // A node of version 15 still connected: its folds (which would leave the attributes out)
        // and its shipments (whose renames would leave the old name in the rows) refused, permanently.
        try SharedSchemaMigrationTests.expectRefused(connection, shipmentVersion: SharedCanonicalIds.version,
                                                     foldVersion: CountedGroups.version)
    }

    @Test("a store made at schema version 16 has the attributes in every hourly row from its first fold, nothing to fill")
    func freshStoreHoldsAttributes() throws {
        let (cluster, database, nodes) = try SharedRollupTests.stores(3)
        let connection = try cluster.connect(database)
        var chain = RandomChain(seed: 1617, nodes: nodes.count)
        try SharedRollupTests.ship(30, of: &chain, to: nodes)
        try nodes[0].fold()
        #expect(try nodes[0].rollupsBuilding().isEmpty)
        let nullable = try connection.query("""
            SELECT count(*) FROM information_schema.columns
            WHERE table_name = '\(HourGroupRows.table)' AND column_name IN ('advocate', 'venue', 'campaign', 'network', 'tier')
                AND is_nullable = 'NO'
            """)
        #expect(nullable.int64(0, 0) == 5)
        #expect(try connection.query("SELECT count(*) FROM \(HourGroupRows.table)").int64(0, 0) > 20)
        try SharedRollupTests.expectExact(connection, &chain)
    }
}
