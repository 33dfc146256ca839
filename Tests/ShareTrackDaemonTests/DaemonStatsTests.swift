import Testing

@testable import ShareTrackDaemon

/// `status`' rate over the last 10 s and 1 min, from the once-a-second samples of events answered.
@Suite struct DaemonStatsTests {
    @Test func theFirstSecondsEventsCount() {
        let stats = DaemonStats()
        #expect(stats.rate(overLast: 10) == 0)
        stats.sample(eventsAnswered: 100)
        #expect(stats.rate(overLast: 10) == 100)
        #expect(stats.rate(overLast: 60) == 100)
    }

    @Test func theRateIsOverTheLastSecondsSampled() {
        let stats = DaemonStats()
        for second in 1...70 { stats.sample(eventsAnswered: Int64(second) * 10 + (second > 60 ? Int64(second - 60) * 90 : 0)) }
        #expect(stats.rate(overLast: 10) == 100)
        #expect(stats.rate(overLast: 60) == 25)
    }

    @Test func churnIsSaidOncePerThatManyConnections() {
        let stats = DaemonStats()
        for _ in 0..<9 { stats.connectionOpened() }
        #expect(!stats.churned(atLeast: 10))
        stats.connectionOpened()
        #expect(stats.churned(atLeast: 10))
        #expect(!stats.churned(atLeast: 10))
    }
}
