import Foundation
import Testing

/// Two venue nodes feeding one store, and a reference daemon that received all their events,
/// in the order the store took them.
struct SharedChainFixture {
    let store: SharedStoreFixture
    let reference: DaemonProcess
    let directory: String

    init() throws {
        store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        reference = try DaemonProcess(arguments: ["--flush-interval", "0.1"])
        directory = try DaemonProcess.makeTemporaryDirectory()
        let now = Int64(Date().timeIntervalSince1970)
        // The report's awkward ids, every event stamped (node and reference count it in the
        // same hour), alternately through either node: a visitor's two clicks on one share go
        // through both, clicks reach a node before their share reaches the other.
        let lines = ReportFixture.lines(now: now).map { line in
            line.contains(#""ts""#) ? line : String(line.dropLast()) + #","ts":"\#(TestEvent.rfc3339(now))"}"#
        }
        var streams = EventStream(seed: 5)
        let eventsA = streams.make(count: 800, tokenPrefix: "a", source: "kiosk-a")
        var eventsB = streams.make(count: 800, tokenPrefix: "b", source: "kiosk-b")
        eventsB += [
            TestEvent(token: "a-1", kind: .share(advocate: "bert", venue: "venue-b", followers: 999), time: now - 3600),
            TestEvent(token: "a-orphan1", kind: .share(advocate: "bert", venue: "venue-b", followers: 50), time: now - 60),
            TestEvent(token: "a-1", kind: .click(visitor: "v1", bot: false), time: now - 60),
        ]
        for (index, node) in ["venue-a", "venue-b"].enumerated() {
            let daemon = try store.daemon(node: node)
            let mine = lines.enumerated().filter { $0.offset % 2 == index }.map(\.element)
            let events = index == 0 ? eventsA : eventsB
            for target in [daemon, reference] {
                let answers = try LineClient(path: target.ingestSocket).exchange(mine)
                #expect(answers.allSatisfy { $0 == #"{"ok":true}"# }, "\(answers)")
                try target.send(events)
            }
            try daemon.waitUntilShipped()
        }
    }

    /// `sharectl` with the store's connection string (`shared`) or the reference's socket.
    func sharectl(_ arguments: [String], shared: Bool) throws -> SharectlTests.Run {
        try SharectlTests.sharectl(arguments + (shared ? ["--db", store.cluster.conninfo(store.database)]
                                                       : ["--socket", reference.controlSocket]))
    }

    /// The file `sharectl export|report --output` wrote from the store or the reference.
    func write(_ command: String, _ arguments: [String], shared: Bool) throws -> String {
        let path = directory + "/\(command)-\(shared ? "store" : "reference")-\(UUID().uuidString)"
            + (command == "report" ? ".html" : "")
        let run = try sharectl([command, "--output", path] + arguments, shared: shared)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return path
    }
}
