import Foundation
import ShareTrackStore
import Testing

/// `sharectl <command> --json` answered from a shared store (`--db postgresql://...`) beside the
/// same command answered by a reference daemon that received every event itself.
struct SharedQueryComparison {
    let store: SharedStoreFixture
    let reference: DaemonProcess

    /// The JSON document `sharectl` prints for `arguments` from the store (`shared`) or the reference.
    func answer(_ arguments: [String], shared: Bool) throws -> (status: Int32, json: Any?) {
        let target = shared ? ["--db", store.cluster.conninfo(store.database)] : ["--socket", reference.controlSocket]
        let run = try runCommand(DaemonProcess.binary("sharectl"), arguments + ["--json"] + target)
        return (run.status, try? JSONSerialization.jsonObject(with: Data(run.output.utf8)))
    }

    /// The commands whose answers differ between the store and the reference, with both answers.
    func differences(_ commands: [[String]]) throws -> [String] {
        try commands.compactMap { command in
            let (shared, local) = (try answer(command, shared: true), try answer(command, shared: false))
            let same = shared.status == local.status && (shared.status != 0 || shared.json != nil)
                && (shared.json.map { $0 as? NSObject } ?? nil) == (local.json.map { $0 as? NSObject } ?? nil)
            return same ? nil : "\(command): store \(shared) != reference \(local)"
        }
    }

    /// Every query command over every ranking, some filters and ranges, advocates, shares (one
    /// shared on two nodes, an orphan attributed across nodes, an orphan, an unknown token).
    static func commands(now: Int64, advocates: [String]) -> [[String]] {
        let format = ISO8601DateFormatter()
        let since = format.string(from: Date(timeIntervalSince1970: TimeInterval(now - 36 * 3600)))
        let until = format.string(from: Date(timeIntervalSince1970: TimeInterval(now - 5 * 3600)))
        let rankings = Ranking.allCases.map { ["top", "--by", $0.rawValue] }
        let ranges = [["--since", since], ["--since", since, "--until", until], ["--venue", "venue-a"], ["--tier", "micro"]]
        return rankings + [["top", "--limit", "3", "--by", "engagement"]]
            + ranges.flatMap { [["top"] + $0, ["venues"] + $0, ["tiers"] + $0] } + [["venues"], ["tiers"]]
            + advocates.flatMap { [["advocate", $0], ["advocate", $0, "--since", since]] } + [["advocate", "nobody"]]
            + ["both", "a-orphan1", "r-orphan", "a-1", "never-seen"].map { ["share", $0] }
    }

    /// `sources` from the store: each row's source, node and counts, without the times (the
    /// reference received everything later), sorted by source.
    func sources(shared: Bool) throws -> [[String: AnyHashable]] {
        let rows = try answer(["sources"], shared: shared).json as? [[String: Any]] ?? []
        return rows.map { row in
            row.filter { !["last_seen", "silent", "silent_for"].contains($0.key) }.compactMapValues { $0 as? AnyHashable }
        }.sorted { ($0["source"] as? String ?? "") < ($1["source"] as? String ?? "") }
    }
}
