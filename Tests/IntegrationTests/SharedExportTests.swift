import Foundation
import Glibc
import ShareTrackCore
import Testing

/// `sharectl export` and `sharectl report` over a shared store (`--db postgresql://...`): the
/// fact table and the page of every node together, the same as those of one daemon that had
/// received every event.
@Suite("Shared store: export and report", .serialized)
struct SharedExportTests {
    @Test("export: the store's CSV and NDJSON, filtered or not, are byte for byte the reference's")
    func exportEqualsOneDaemon() throws {
        let chain = try SharedChainFixture()
        let since = TestEvent.rfc3339(Int64(Date().timeIntervalSince1970) - 36 * 3600)
        let cases: [[String]] = [
            [], ["--format", "ndjson"], ["--venue", ReportFixture.comma], ["--venue", "venue2", "--format", "ndjson"],
            ["--tier", "micro"], ["--network", "tiktok"], ["--campaign", "spring", "--since", since],
            ["--since", since, "--until", "2h"],
        ]
        for arguments in cases {
            let store = try String(contentsOfFile: try chain.write("export", arguments, shared: true), encoding: .utf8)
            let reference = try String(contentsOfFile: try chain.write("export", arguments, shared: false), encoding: .utf8)
            let (storeLines, referenceLines) = (Set(store.split(whereSeparator: \.isNewline)),
                                                Set(reference.split(whereSeparator: \.isNewline)))
            #expect(store == reference, """
                \(arguments): only in the store: \(storeLines.subtracting(referenceLines).sorted().prefix(6)); \
                only in the reference: \(referenceLines.subtracting(storeLines).sorted().prefix(6))
                """)
            #expect(storeLines.count > (arguments.isEmpty ? 500 : 1), "\(arguments): \(store.prefix(300))")
        }
        // A real CSV reader: the awkward ids, the orphans, a share attributed across nodes.
        let rows = try readCSV(try chain.write("export", [], shared: true))
        #expect(rows.contains { $0["advocate"] == ReportFixture.quoted && $0["venue"] == ReportFixture.comma })
        #expect(rows.contains { $0["share"] == "orph1" && $0["advocate"] == "" && $0["orphan_clicks"] == "1" })
        #expect(rows.contains { $0["share"] == "s2" && $0["clicks"] == "1" && $0["advocate"] == ReportFixture.quoted },
                "a click through one node, on a share posted through the other")
        #expect(rows.contains { $0["share"] == "s1" && $0["clicks"] == "3" && $0["unique_clicks"] == "2" },
                "a visitor's clicks on one share through both nodes count once")

        // To stdout, the same bytes as to a file; --json summarises the file written.
        let stdout = try chain.sharectl(["export"], shared: true)
        let file = try String(contentsOfFile: try chain.write("export", [], shared: true), encoding: .utf8)
        #expect(stdout.status == 0 && stdout.stdout == file)
        let summary = try chain.sharectl(["export", "--json", "--output", chain.directory + "/summary.csv"], shared: true)
        #expect((summary.json as? [String: Any])?["rows"] as? Int == rows.count, "\(summary.stdout)")
    }

    @Test("report: the store's page in a real browser, clean, with the reference's numbers, naming the store")
    func reportEqualsOneDaemon() throws {
        let chain = try SharedChainFixture()
        for arguments in [[], ["--since", "7d"], ["--since", "24h", "--venue", ReportFixture.comma]] {
            let store = try Browser.inspect(try chain.write("report", arguments, shared: true), width: 1280)
            let reference = try Browser.inspect(try chain.write("report", arguments, shared: false), width: 1280)
            ReportTests.expectClean(store, charts: reference.canvases.count)
            #expect(!store.noData)
            #expect(store.tables == reference.tables && store.kpis == reference.kpis && store.range == reference.range,
                    "\(arguments)")
            #expect(store.bodyText.contains("from the shared store \(chain.store.database) on "), "\(store.bodyText)")
            #expect(!store.bodyText.contains(PostgresCluster.password))
        }
    }

    @Test("nodes: each node's last batch (generation, RFC 3339 times), events, lag; --check flags a node left behind")
    func nodes() throws {
        let chain = try SharedChainFixture()
        let now = Int64(Date().timeIntervalSince1970)
        let fresh = try chain.sharectl(["nodes", "--check", "--json"], shared: true)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let rows = fresh.json as? [[String: Any]] ?? []
        #expect(rows.map { $0["node"] as? String } == ["venue-a", "venue-b"], "\(fresh.stdout)")
        for row in rows {
            for key in ["batch_time", "shipped_at"] {
                let time = try #require(RFC3339.parse(row[key] as? String ?? ""), "\(key): \(row)")
                #expect(abs(time - now) < 120, "\(key): \(row)")
            }
            #expect((row["generation"] as? Int ?? 0) > 0 && (row["behind_seconds"] as? Double ?? 999) < 60, "\(row)")
        }
        #expect(rows.map { $0["events"] as? Int ?? 0 }.reduce(0, +) > 1600)

        // A node whose host went away an hour ago: its row stops moving.
        try chain.store.connect().execute("""
            INSERT INTO nodes (node, database_id, generation, events, batch_time, shipped_at, caught_up_at)
            VALUES ('gone', 7, 42, 1000, \(now - 3600), now() - interval '1 hour', now() - interval '1 hour')
            """)
        let checked = try chain.sharectl(["nodes", "--check"], shared: true)
        #expect(checked.status == 1 && checked.stderr.contains("1 of 3 nodes behind by more than 2m"), "\(checked.stderr)")
        let gone = checked.stdout.split(separator: "\n").first { $0.hasPrefix("gone ") } ?? ""
        #expect(gone.contains(RFC3339.format(now - 3600)) && gone.contains("1h") && gone.hasSuffix("BEHIND"), "\(checked.stdout)")
        #expect(checked.stdout.split(separator: "\n").filter { $0.hasSuffix(" ok") }.count == 2, "\(checked.stdout)")
        #expect(try chain.sharectl(["nodes", "--check", "--behind-after", "2h"], shared: true).status == 0)
    }

    @Test("sources over the store names each producer's node in its text too; a daemon's own list has no such column")
    func sourcesNameTheirNode() throws {
        let chain = try SharedChainFixture()
        let shared = try chain.sharectl(["sources"], shared: true)
        let lines = shared.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NODE ") == true, "\(shared.stdout)")
        #expect(lines.contains { $0.hasPrefix("venue-a ") && $0.contains(" kiosk-a ") }, "\(shared.stdout)")
        #expect(lines.contains { $0.hasPrefix("venue-b ") && $0.contains(" kiosk-b ") }, "\(shared.stdout)")
        let local = try chain.sharectl(["sources"], shared: false)
        #expect(local.stdout.hasPrefix("SOURCE "), "\(local.stdout)")
    }

    @Test("an unreachable store, a database without the schema or a bad filter: a clear error, a non-zero exit, no file left")
    func errors() throws {
        let directory = try DaemonProcess.makeTemporaryDirectory()
        let store = "postgresql://\(PostgresCluster.passwordRole):\(PostgresCluster.password)@127.0.0.1:1/none"
        for command in ["export", "report"] {
            let output = directory + "/\(command).out"
            let run = try SharectlTests.sharectl([command, "--output", output, "--db", store])
            #expect(run.status != 0 && run.stderr.contains("cannot connect to the shared store"), "\(run.stderr)")
            #expect(!run.stderr.contains(PostgresCluster.password))
        }
        let cluster = try PostgresCluster.shared.get()
        let range = try SharectlTests.sharectl(["export", "--since", "1h", "--until", "3h", "--db", cluster.conninfo()])
        #expect(range.status != 0 && range.stderr.contains("empty time range"), "\(range.stderr)")
        // A database no daemon has shipped to.
        for command in [["export"], ["report", "--output", directory + "/report.html"], ["nodes"], ["top"]] {
            let empty = try SharectlTests.sharectl(command + ["--db", cluster.conninfo()])
            #expect(empty.status != 0 && empty.stderr.contains("postgres on \(cluster.directory)")
                    && empty.stderr.contains("is not a ShareTrack shared store"), "\(command): \(empty.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
