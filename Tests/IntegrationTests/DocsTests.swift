import Foundation
import ShareTrackCore
import Testing

/// The docs against the real thing: every JSON path they cite (`last_flush.apply_seconds`)
/// exists in what the commands really print.
@Suite("Docs")
struct DocsTests {
    /// Fields that are in the JSON only when they have a value (an `error` once something failed,
    /// `rollups_building` while rollups are being built).
    static let presentOnlyWhenSet: Set<String> = ["error", "rollups_building"]
    /// Last segments that make a dotted word a file name, not a JSON path.
    static let fileExtensions: Set<String> = ["md", "sock", "db", "yaml", "json", "journal", "swift", "service",
                                              "socket", "conf", "lock", "1", "h", "d", "sh", "html", "csv", "ndjson",
                                              "key", "js", "png", "txt", "py", "diff", "sql"]

    /// The dotted paths in backticks in README.md and docs/*.md, with the file each is in.
    static func citedPaths() throws -> [(file: String, path: String)] {
        let docs = InstallTests.package + "/docs"
        let files = ["README.md"].map { InstallTests.package + "/" + $0 }
            + (try FileManager.default.contentsOfDirectory(atPath: docs)).filter { $0.hasSuffix(".md") }.map { docs + "/" + $0 }
        let pattern = try Regex(#"`([a-z_]+(\.[a-z_0-9]+)+)`"#)
        return try files.flatMap { file in
            try String(contentsOfFile: file, encoding: .utf8).matches(of: pattern).compactMap { match -> (String, String)? in
                let path = String(match.output[1].substring ?? "")
                guard let last = path.split(separator: ".").last, !fileExtensions.contains(String(last)) else { return nil }
                return (URL(fileURLWithPath: file).lastPathComponent, path)
            }
        }
    }

    /// Whether `path` leads somewhere in `document` (through arrays to their elements).
    static func resolves(_ path: [Substring], in document: Any) -> Bool {
        guard let key = path.first else { return true }
        switch document {
        case let object as [String: Any]:
            guard let value = object[String(key)] else { return path.count == 1 && presentOnlyWhenSet.contains(String(key)) }
            return resolves(Array(path.dropFirst()), in: value)
        case let array as [Any]:
            return array.contains { resolves(path, in: $0) }
        default:
            return false
        }
    }

    @Test("every JSON path the docs cite is in the real output of status, flush, the bench or a control request")
    func jsonPaths() throws {
        let cited = try Self.citedPaths()
        #expect(cited.contains { $0.path == "last_flush.apply_seconds" }, "the scan finds nothing: \(cited)")

        let daemon = try SharectlTests.populatedDaemon()
        let socket = ["--socket", daemon.controlSocket]
        var documents: [Any] = []
        for command in [["flush"], ["status"], ["top"], ["advocate", "ann"], ["share", "s1"], ["sources"]] {
            documents.append(try SharectlTests.sharectl(command + ["--json"] + socket).json)
        }
        #expect(try daemon.stop() == 0)
        // What sharectl sends: every query field set, and whom forget erases.
        let requests = [
            ControlRequest(command: .top, query: Query(
                id: "ann", by: "reach", limit: 5, filter: QueryFilter(venue: "cafe", since: 0, until: 3600), silentAfter: 60,
                format: "csv")),
            ControlRequest(command: .forget, forget: ForgetTarget(visitor: "v1")),
            ControlRequest(command: .forget, forget: ForgetTarget(advocate: "ann")),
            ControlRequest(command: .backup, query: Query(path: "/var/lib/sharetrack/backup.db")),
        ]
        for request in requests {
            documents.append(try JSONSerialization.jsonObject(with: Data(try ControlCodec.requestLine(request))))
        }
        let bench = Process()
        bench.executableURL = URL(fileURLWithPath: DaemonProcess.binary("sharetrack-bench"))
        bench.arguments = ["--events", "1000", "--json", "--no-ceiling", "--daemon", DaemonProcess.binary("sharetrackd")]
        let output = Pipe()
        bench.standardOutput = output
        bench.standardError = FileHandle.nullDevice
        try bench.run()
        documents.append(try JSONSerialization.jsonObject(with: output.fileHandleForReading.readDataToEndOfFile()))
        bench.waitForTermination()

        // A node of a shared store: `status`'s `shared_store` and `nodes`.
        let store = try SharedStoreFixture(cluster: try PostgresCluster.shared.get())
        let node = try store.daemon(node: "docs")
        try node.send([TestEvent(token: "s1", kind: .click(visitor: "v1", bot: false), time: Int64(Date().timeIntervalSince1970))])
        try node.waitUntilShipped()
        for command in [["status"], ["nodes"]] {
            documents.append(try SharectlTests.sharectl(command + ["--json", "--socket", node.controlSocket]).json)
        }

        for (file, path) in cited {
            let segments = path.split(separator: ".")
            #expect(segments.first != "result", "\(file): `\(path)`: sharectl --json prints the result without a wrapper")
            #expect(documents.contains { Self.resolves(segments, in: $0) }, "\(file): `\(path)` is in no real output")
        }
    }
}
