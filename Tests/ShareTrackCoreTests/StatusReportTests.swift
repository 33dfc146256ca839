import Foundation
import ShareTrackCore
import Testing

/// `status`' JSON: `last_flush` is there before the first flush too, as `null`.
@Suite struct StatusReportTests {
    static let report = StatusReport(
        version: "0.1.0", pid: 1, uptimeSeconds: 2, configFile: "/dev/null", ack: "commit", flushInterval: 1,
        database: .init(path: "db", sizeBytes: 0), lastFlush: nil, pending: .init(events: 0, keys: 0),
        applying: .init(batches: 0, events: 0), totals: .init(IngestTotals()), rate: .init(last10s: 0, last1m: 0),
        connections: .init(), cachedTokens: 0)

    @Test func lastFlushIsNullBeforeTheFirstFlush() throws {
        let json = try JSONSerialization.jsonObject(with: ControlCodec.encoder().encode(Self.report)) as? [String: Any]
        #expect(json?.keys.contains("last_flush") == true && json?["last_flush"] is NSNull, "\(String(describing: json))")
        #expect(json?["shared_store"] == nil)
    }

    @Test func decodesWithAndWithoutTheKey() throws {
        var flushed = Self.report
        flushed.lastFlush = FlushReport(time: 1_795_810_500, durationSeconds: 0.01, generation: 3, events: 5, rows: 7, error: nil)
        for report in [Self.report, flushed] {
            let data = try ControlCodec.encoder().encode(report)
            #expect(try ControlCodec.decoder().decode(StatusReport.self, from: data) == report)
        }
        var json = try #require(try JSONSerialization.jsonObject(with: ControlCodec.encoder().encode(Self.report)) as? [String: Any])
        json["last_flush"] = nil
        let withoutKey = try JSONSerialization.data(withJSONObject: json)
        #expect(try ControlCodec.decoder().decode(StatusReport.self, from: withoutKey).lastFlush == nil)
    }
}
