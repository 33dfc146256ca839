import ShareTrackCore
import Testing

@Test(arguments: [
    (0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-1_234_567, "-1,234,567"),
    (Int64.max, "9,223,372,036,854,775,807"), (Int64.min, "-9,223,372,036,854,775,808"),
] as [(Int64, String)])
func integersGetThousandsSeparators(value: Int64, text: String) {
    #expect(Formatting.integer(value) == text)
}

@Test(arguments: [
    (0, "0.00"), (12.5, "12.50"), (1234.567, "1,234.57"), (-0.001, "0.00"), (-1234.5, "-1,234.50"),
    (1e20, "1e+20"),
] as [(Double, String)])
func decimalsHaveTwoPlaces(value: Double, text: String) {
    #expect(Formatting.decimal(value) == text)
}

@Test func ratesArePercentages() {
    #expect(Formatting.percent(0.04213) == "4.21%")
    #expect(Formatting.percent(0) == "0.00%")
    #expect(Formatting.percent(1) == "100.00%")
    #expect(Formatting.percent(0.0001) == "0.01%")
}

@Test(arguments: [
    (0.0000194, "0.0019%"), (0.00000999, "0.0010%"), (0.000099, "0.0099%"), (0.000000012, "0.0000012%"),
] as [(Double, String)])
func ratesUnderAHundredthOfAPercentKeepTwoSignificantDigits(rate: Double, text: String) {
    #expect(Formatting.percent(rate) == text)
}

@Test(arguments: [
    (0, "0 ms"), (0.0004, "0.4 ms"), (0.85, "850 ms"), (1, "1s"), (4.2, "4.2s"), (42.4, "42s"), (60, "1m"),
    (725, "12m 5s"), (3600, "1h"), (11_520, "3h 12m"), (86400, "1d"), (183_600, "2d 3h"), (-5, "0 ms"),
] as [(Double, String)])
func durationsReadLikeAPersonWouldSayThem(seconds: Double, text: String) {
    #expect(Formatting.duration(seconds) == text)
}

@Test func agesAndSizes() {
    #expect(Formatting.ago(0) == "0s ago")
    #expect(Formatting.ago(-3) == "0s ago")
    #expect(Formatting.relative(-240) == "in 4m")
    #expect(Formatting.relative(12) == "12s ago")
    #expect(Formatting.ago(12) == "12s ago")
    #expect(Formatting.ago(11_520) == "3h 12m ago")
    #expect(Formatting.bytes(512) == "512 B")
    #expect(Formatting.bytes(12_897_484) == "12.3 MiB")
    #expect(Formatting.bytes(3 << 40) == "3.0 TiB")
}

@Test(arguments: [
    ("30s", 30), ("90m", 5400), ("24h", 86400), ("7d", 604_800), ("2w", 1_209_600), ("1h30m", 5400), ("0m", 0),
] as [(String, Int64)])
func durationsParse(text: String, seconds: Int64) {
    #expect(Formatting.parseDuration(text) == seconds)
}

@Test(arguments: ["", "h", "24", "24x", "-5m", "1.5h", "24 h", "h24", "99999999999999999999s", "153722867280912931w"])
func badDurationsDoNotParse(text: String) {
    #expect(Formatting.parseDuration(text) == nil)
}

@Test func pointsInTimeAreRelativeOrRFC3339() {
    let now: Int64 = 1_795_810_500
    #expect(PointInTime("24h")?.seconds(now: now) == now - 86400)
    #expect(PointInTime("2026-11-27T20:15:00Z")?.seconds(now: 0) == now)
    #expect(PointInTime("yesterday") == nil)
    #expect(PointInTime("2026-11-27") == nil)
    // The last second RFC 3339 writes, with a fraction: rounded up, still in range, and the same hour's end.
    let last = PointInTime("9999-12-31T23:59:59.5Z", roundingUp: true)?.seconds(now: 0)
    #expect(last == QueryFilter.timeRange.upperBound)
    #expect(QueryFilter(until: last).untilHour == QueryFilter(until: PointInTime("9999-12-31T23:00:01Z")?.seconds(now: 0)).untilHour)
}
