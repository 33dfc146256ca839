import Foundation
import Testing

/// Answers asked while events arrive: between answers the daemon's query engine keeps the sums of
/// the pending batch, advanced by what the batch gained since (`PendingGroups`), and finishes them
/// when the batch is flushed. Whatever it kept, an answer equals what the tables give once every
/// batch is in them.
@Suite("Live answers while ingesting", .serialized)
struct LiveQueryTests {
    @Test("answers asked between waves of events (clicks before their shares, shares seen again) equal the tables' after the stop")
    func liveAnswersEqualTheTables() throws {
        let daemon = try DaemonProcess(arguments: ["--ack", "receive", "--flush-interval", "0.3"])
        let socket = ["--socket", daemon.controlSocket]
        let queries: [[String]] = [
            ["tiers"], ["top", "--limit", "50"], ["venues"], ["top", "--venue", "venue1", "--by", "engagement"],
            ["tiers", "--since", "24h"],
        ]
        var stream = EventStream(seed: 16)
        let client = try LineClient(path: daemon.ingestSocket)
        for wave in 0..<16 {
            // The same token names every fourth wave: their shares are seen again, and their
            // orphans' shares arrive in later batches than the orphans.
            let events = stream.make(count: 150, tokenPrefix: "w\(wave % 4)")
            #expect(try client.exchange(events.map(\.line)).count == events.count)
            for query in queries.prefix(wave % 3 + 1) {
                let run = try SharectlTests.sharectl(query + ["--json"] + socket)
                #expect(run.status == 0, "\(query): \(run.stderr)")
            }
        }
        let live = try queries.map { try SharectlTests.sharectl($0 + ["--json"] + socket) }
        #expect(try daemon.stop() == 0)
        for (query, answer) in zip(queries, live) {
            let stored = try SharectlTests.sharectl(query + ["--json", "--db", daemon.database])
            #expect(stored.status == 0 && answer.status == 0, "\(query): \(stored.stderr) \(answer.stderr)")
            #expect(stored.stdout == answer.stdout, "\(query) live differs from the tables")
        }
    }
}
