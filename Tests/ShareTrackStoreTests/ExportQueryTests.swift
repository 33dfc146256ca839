import ShareTrackCore
import Testing

@testable import ShareTrackStore

/// The fact table: stored and live rows merged by key, orphans, filters, formats, and a plan that
/// streams (no sort).
@Suite struct ExportQueryTests {
    static let hour: Int64 = 498_836

    static func counters(shares: Int64 = 0, reach: Int64 = 0, clicks: Int64 = 0, unique: Int64 = 0, value: Int64 = 0)
        -> Counters
    {
        var counters = Counters()
        counters.shares = shares
        counters.reach = reach
        counters.clicks = clicks
        counters.uniqueClicks = unique
        counters.value = Money(thousandths: value)
        return counters
    }

    static func share(_ token: String, venue: String, followers: Int) -> ShareRecord {
        ShareRecord(token: token, attributes: ShareAttributes(advocate: "adv-" + token, venue: venue, campaign: nil,
                                                              network: "instagram", followers: followers),
                    tier: TierBounds.default.tier(forFollowers: followers), time: hour * 3600)
    }

    /// Batch 1 (applied): share `a` and its clicks, clicks on `b` (not shared yet) and `orphan`.
    /// Batch 2 (live only): share `b`, more clicks on `a` in the same hour.
    static func batches() -> [Batch] {
        var first = Batch(generation: 1)
        first.add(share("a", venue: "v1", followers: 800))
        first.add(counters(shares: 1, reach: 800, clicks: 2, unique: 2), at: CounterKey(token: "a", hour: hour))
        first.add(counters(clicks: 1, unique: 1), at: CounterKey(token: "a", hour: hour + 1))
        first.add(counters(clicks: 3, unique: 3), at: CounterKey(token: "b", hour: hour))
        first.add(counters(clicks: 5, unique: 4, value: 2_500), at: CounterKey(token: "orphan", hour: hour))
        var second = Batch(generation: 2)
        second.add(share("b", venue: "v2", followers: 50_000))
        second.add(counters(shares: 1, reach: 50_000), at: CounterKey(token: "b", hour: hour))
        second.add(counters(clicks: 4, unique: 1), at: CounterKey(token: "a", hour: hour))
        return [first, second]
    }

    static func rows(_ queries: Queries, _ filter: QueryFilter = QueryFilter(), live: [Batch]) throws -> [ExportRow] {
        var rows: [ExportRow] = []
        let count = try queries.export(filter, live: LiveData(batches: live)) { rows.append($0) }
        #expect(count == rows.count)
        return rows
    }

    @Test func storedAndLiveRowsOfOneKeyAreOneRowAndALiveShareAttributesStoredClicks() throws {
        let database = try TemporaryDatabase()
        let batches = Self.batches()
        let queries = try database.queries(writing: [batches[0]])
        let rows = try Self.rows(queries, live: batches)
        #expect(rows.map { "\($0.share)@\($0.hour - Self.hour)" } == ["a@0", "a@1", "b@0", "orphan@0"])
        #expect(rows[0].counters == Self.counters(shares: 1, reach: 800, clicks: 6, unique: 3))
        #expect(rows[1].attributes?.venue == "v1" && rows[1].tier != nil && rows[1].tier == rows[0].tier)
        #expect(rows[2].attributes?.venue == "v2" && rows[2].tier == .mid)
        #expect(rows[2].counters == Self.counters(shares: 1, reach: 50_000, clicks: 3, unique: 3))
        #expect(rows[3].attributes == nil && rows[3].tier == nil)
        #expect(rows[3].counters.clicks == 5)
    }

    @Test func filtersSelectAttributionAndHours() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: Self.batches())
        #expect(try Self.rows(queries, QueryFilter(venue: "v1"), live: []).map(\.share) == ["a", "a"])
        #expect(try Self.rows(queries, QueryFilter(tier: .mid), live: []).map(\.share) == ["b"])
        let later = QueryFilter(since: (Self.hour + 1) * 3600)
        #expect(try Self.rows(queries, later, live: []).map(\.share) == ["a"])
        #expect(throws: ControlError.self) {
            try Self.rows(queries, QueryFilter(since: (Self.hour + 2) * 3600, until: Self.hour * 3600), live: [])
        }
    }

    @Test func thePlanMergesTwoIndexScansWithoutSorting() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: Self.batches())
        let (sql, values) = Queries.exportSQL(QueryFilter(venue: "v1", since: 0, until: 3600 * 1_000_000))
        let plan = try queries.database.prepare("EXPLAIN QUERY PLAN " + sql)
        try plan.bind(values)
        let steps = try plan.rows { $0.string(3) ?? "" }
        #expect(steps.contains { $0.contains("MERGE") }, "\(steps)")
        #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")
    }

    @Test func aColumnComparedInPlaceMatchesItsStringAndNeverNull() throws {
        let database = try TemporaryDatabase()
        let queries = try database.queries(writing: [])
        let statement = try queries.database.prepare("SELECT 'Zoë', NULL, ''")
        #expect(try statement.step())
        #expect(statement.text(0, is: "Zoë") && !statement.text(0, is: "Zoe") && !statement.text(0, is: "Zoë!"))
        #expect(!statement.text(1, is: "") && statement.text(2, is: ""))
    }

    @Test func csvQuotesWhatNeedsItAndNDJSONEscapes() throws {
        var row = ExportRow(hour: Self.hour, share: "t.1", attributes: ShareAttributes(
            advocate: #"Zoë "Z", Berlin"#, venue: "v", campaign: nil, network: "x", followers: 12), tier: .nano,
            counters: Self.counters(shares: 1, reach: 12_000_000, clicks: 7, unique: 6, value: 1_234_500))
        var csv: [UInt8] = []
        ExportFormat.csv.append(row, to: &csv)
        #expect(String(decoding: csv, as: UTF8.self)
            == "2026-11-27T20:00:00Z,t.1,\"Zoë \"\"Z\"\", Berlin\",v,,x,nano,12,1,12000000,7,6,0,0,1234.50,0.0000005,0,0\r\n")
        var escaped: [UInt8] = []
        row.attributes?.venue = "tab\there\u{7F}"
        ExportFormat.ndjson.append(row, to: &escaped)
        #expect(String(decoding: escaped, as: UTF8.self).hasPrefix(
            #"{"hour":"2026-11-27T20:00:00Z","share":"t.1","advocate":"Zoë \"Z\", Berlin","venue":"tab\there\u007f","#))
        row.attributes = nil
        row.tier = nil
        var ndjson: [UInt8] = []
        ExportFormat.ndjson.append(row, to: &ndjson)
        let line = String(decoding: ndjson, as: UTF8.self)
        #expect(line.hasPrefix(#"{"hour":"2026-11-27T20:00:00Z","share":"t.1","advocate":null,"venue":null,"#))
        #expect(line.hasSuffix(#""value":1234.50,"engagement_rate":0.0000005,"orphan_clicks":7,"orphan_conversions":0}"# + "\n"))
        #expect(ExportFormat.csv.header.hasPrefix("hour,share,advocate,venue,campaign,network,tier,followers,shares,"))
        #expect(ExportRow.money(Money(thousandths: 1_234_567_125)) == "1234567.125")
        #expect(ExportRow.money(Money(thousandths: 7_000)) == "7.00" && ExportRow.money(.zero) == "0.00")
        #expect(ExportRow.plainDecimal(0) == String(0.0))
        #expect(ExportRow.plainDecimal(1.25e-07) == "0.000000125" && ExportRow.plainDecimal(0.25) == "0.25")
    }
}
