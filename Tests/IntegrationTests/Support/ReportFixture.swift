import Foundation
import Testing

/// A daemon holding a small chain with awkward ids (quotes, commas, non-ASCII, markup, 128
/// characters), every tier, orphans, and data in the last 24 hours and the 24 before.
enum ReportFixture {
    static let quoted = #"Zoë "Z" Müller, Berlin"#
    static let comma = "café, Mitte"
    /// 128 characters of markup: escaped in HTML, wrapped in tables.
    static let long = "<script>alert(1)</script>" + String(repeating: "w", count: 103)

    static func daemon() throws -> DaemonProcess {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let client = try LineClient(path: daemon.ingestSocket)
        let answers = try client.exchange(lines(now: Int64(Date().timeIntervalSince1970)))
        #expect(answers.allSatisfy { $0 == #"{"ok":true}"# }, "\(answers)")
        return daemon
    }

    /// The events, as of `now`: five shares, clicks (a repeat visitor, a bot), conversions, two orphans.
    static func lines(now: Int64) -> [String] {
        let recent = TestEvent.rfc3339(now - 2 * 3600)
        let earlier = TestEvent.rfc3339(now - 30 * 3600)
        func share(_ token: String, _ advocate: String, _ venue: String, _ network: String, _ followers: Int,
                   campaign: String? = nil, ts: String? = nil) -> String {
            var object: [String: Any] = ["type": "share", "share": token, "advocate": advocate, "venue": venue,
                                         "network": network, "followers": followers]
            object["campaign"] = campaign
            object["ts"] = ts
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        return [
            share("s1", quoted, comma, "instagram", 800, campaign: "spring"),
            share("s2", quoted, "bar", "tiktok", 4000, ts: earlier),
            share("s3", "bob", comma, "instagram", 250_000),
            share("s4", long, long, "x", 20_000, campaign: "spring", ts: recent),
            share("s5", "carol", "bar", "facebook", 2_000_000, ts: earlier),
            #"{"type":"click","share":"s1","visitor":"a"}"#,
            #"{"type":"click","share":"s1","visitor":"a"}"#,
            #"{"type":"click","share":"s1","visitor":"b"}"#,
            #"{"type":"click","share":"s2","visitor":"a","ts":"\#(earlier)"}"#,
            #"{"type":"click","share":"s3","bot":true}"#,
            #"{"type":"click","share":"s3"}"#,
            #"{"type":"click","share":"s4","visitor":"c","ts":"\#(recent)"}"#,
            #"{"type":"click","share":"s4","visitor":"d"}"#,
            #"{"type":"click","share":"s5","visitor":"e","ts":"\#(earlier)"}"#,
            #"{"type":"conversion","share":"s1","value":19.5}"#,
            #"{"type":"conversion","share":"s4","value":7.25}"#,
            #"{"type":"conversion","share":"s3","value":0.125}"#,
            #"{"type":"click","share":"orph1","visitor":"z"}"#,
            #"{"type":"conversion","share":"orph2","value":3}"#,
        ]
    }
}

/// A CSV file read by Python's `csv` module (a real RFC 4180 reader), as rows of column → text.
func readCSV(_ path: String) throws -> [[String: String]] {
    let script = "import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))"
    let run = try runCommand("/usr/bin/python3", ["-c", script, path])
    guard run.status == 0, let rows = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: String]]
    else { throw TestFailure("python3 could not read \(path): \(run.output)") }
    return rows
}

/// Lines of JSON objects.
func readNDJSON(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(line)")
        }
        return object
    }
}
