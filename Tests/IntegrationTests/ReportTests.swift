import Foundation
import Glibc
import Testing

/// `sharectl report`: the page it writes, loaded in a real browser (headless Chromium, no network).
@Suite("sharectl report", .serialized)
struct ReportTests {
    static func sharectl(_ arguments: [String], environment: [String: String] = [:]) throws -> SharectlTests.Run {
        try SharectlTests.sharectl(arguments, environment: environment)
    }

    /// Writes the report into the daemon's directory and loads it in the browser.
    static func report(_ daemon: DaemonProcess, _ arguments: [String], width: Int = 1280) throws -> Browser.Inspection {
        let path = daemon.directory + "/report.html"
        let run = try sharectl(["report", "--output", path] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try Browser.inspect(path, width: width)
    }

    /// What any report page must be in the browser: drawn without an error, no request made.
    static func expectClean(_ page: Browser.Inspection, charts: Int = 5) {
        #expect(page.console.isEmpty, "console: \(page.console)")
        #expect(page.error == nil, "\(page.error ?? "")")
        #expect(page.resources.isEmpty, "requests: \(page.resources)")
        #expect(page.overflow <= 0, "the page is \(page.overflow) px wider than the window")
        #expect(page.canvases.count == charts)
        for canvas in page.canvases {
            #expect(canvas.width > 100 && canvas.height > 100 && canvas.painted > 1000, "\(canvas.id) is empty: \(canvas)")
        }
    }

    /// A JSON number or a page's cell value, to compare them.
    static func number(_ value: Any?) -> Double {
        (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) ?? .nan
    }

    @Test("in a real browser: every chart drawn, no console error, no request, and the numbers of sharectl --json")
    func numbersInTheBrowser() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let page = try Self.report(daemon, socket)
        Self.expectClean(page)

        let tiers = try #require(try Self.sharectl(["tiers", "--json"] + socket).json as? [[String: Any]])
        #expect(page.tables["table-tiers"]?.map { $0.dropFirst().map(Self.number) } == tiers.map { tier in
            ["advocates", "shares", "reach", "unique_clicks", "engagement_rate"].map { Self.number(tier[$0]) }
        })
        #expect(page.tables["table-tiers"]?.map { $0[0] } == tiers.map { $0["tier"] as! String })
        for counter in ["shares", "reach", "clicks", "unique_clicks", "conversions"] {
            let sum = tiers.reduce(Int64(0)) { $0 + ($1[counter] as! NSNumber).int64Value }
            #expect(page.kpis[counter] == "\(sum)", "\(counter)")
        }
        #expect(Double(page.kpis["value"] ?? "") == tiers.reduce(0) { $0 + ($1["value"] as! NSNumber).doubleValue })

        let top = try #require(try Self.sharectl(["top", "--json", "--limit", "10"] + socket).json as? [[String: Any]])
        let advocates = try #require(page.tables["table-advocates"])
        #expect(advocates.map { $0[1] } == top.map { $0["advocate"] as! String })
        #expect(advocates.map { [$0[4], $0[5], $0[6], $0[7], $0[8]].map(Self.number) } == top.map { row in
            ["shares", "unique_clicks", "engagement_rate", "conversions", "value"].map { Self.number(row[$0]) }
        })

        let venues = try #require(try Self.sharectl(["venues", "--json"] + socket).json as? [[String: Any]])
        let ranked = venues.sorted {
            (($1["unique_clicks"] as! Int), $0["venue"] as! String) < (($0["unique_clicks"] as! Int), $1["venue"] as! String)
        }
        #expect(page.tables["table-venues"]?.map { $0[0] } == ranked.map { $0["venue"] as! String })
        #expect(page.tables["table-venues"]?.map { Self.number($0[3]) } == ranked.map { Self.number($0["unique_clicks"]) })

        // Networks and the trend against the fact table: sums of the export's attributed rows.
        let export = try readNDJSON(try Self.sharectl(["export", "--format", "ndjson"] + socket).stdout)
        var networks: [String: Int] = [:]
        for row in export { if let network = row["network"] as? String { networks[network, default: 0] += row["unique_clicks"] as! Int } }
        let pageNetworks = try #require(page.tables["table-networks"])
        #expect(Dictionary(uniqueKeysWithValues: pageNetworks.map { ($0[0], Int($0[3]) ?? -1) }) == networks)
        let trendUnique = try #require(page.tables["table-trend"]).reduce(0) { $0 + (Int($1[3]) ?? -1000) }
        #expect("\(trendUnique)" == page.kpis["unique_clicks"])

        // Every id is text: the markup in one is shown, not run; long ids wrap, even in a narrow window.
        let html = try String(contentsOfFile: daemon.directory + "/report.html", encoding: .utf8)
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("http://") && !html.contains("https://"), "the page names no address")
        #expect(page.bodyText.contains("<script>alert(1)</script>"))
        #expect(page.bodyText.contains(ReportFixture.quoted) && page.bodyText.contains(ReportFixture.comma))
        Self.expectClean(try Browser.inspect(daemon.directory + "/report.html", width: 700))
        #expect(try daemon.stop() == 0)
    }

    @Test("--db gives the page the same numbers as the live daemon")
    func offlineEqualsLive() throws {
        let daemon = try ReportFixture.daemon()
        let live = try Self.report(daemon, ["--socket", daemon.controlSocket, "--since", "7d"])
        #expect(try daemon.stop() == 0)
        let offline = try Self.report(daemon, ["--db", daemon.database, "--since", "7d"])
        Self.expectClean(offline)
        #expect(offline.tables == live.tables && offline.kpis == live.kpis && offline.range == live.range)
    }

    @Test("the title names the range and the filters; changes compare with the previous range of the same length")
    func titleAndComparison() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let day = try Self.report(daemon, ["--since", "24h"] + socket)
        Self.expectClean(day)
        #expect(day.range.contains("(24 hours)") || day.range.contains("(25 hours)"), "\(day.range)")
        #expect(day.title.contains(day.range))
        #expect(day.bodyText.contains("Changes compare with the previous"), "\(day.bodyText)")
        // Three shares in the day (s1, s3, s4), two in the 24 hours before it (s2, s5).
        #expect(day.kpis["shares"] == "3" && day.bodyText.contains("▲ 50.0% vs previous"), "\(day.bodyText)")

        let filtered = try Self.report(daemon, ["--since", "24h", "--venue", ReportFixture.comma, "--tier", "nano"] + socket)
        // Each id isolated (U+2068 … U+2069): a right-to-left mark in one reorders nothing after it.
        #expect(filtered.title.contains("venue: \u{2068}\(ReportFixture.comma)\u{2069}")
                && filtered.title.contains("tier: \u{2068}nano\u{2069}"), "\(filtered.title)")
        #expect(filtered.kpis["shares"] == "1")
        #expect(filtered.bodyText.contains("hold no data to compare with"))
        #expect(try daemon.stop() == 0)
    }

    @Test("--since without --until ends with the hour under way for every number of the page; --since 4d is per hour")
    func openRangeEnd() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let earlier = TestEvent.rfc3339(Int64(Date().timeIntervalSince1970) - 3 * 3600)
        let lines = [
            #"{"type":"share","share":"early","advocate":"ann","venue":"cafe","network":"x","followers":10,"ts":"\#(earlier)"}"#,
            #"{"type":"share","share":"late","advocate":"bob-late","venue":"cafe","network":"x","followers":10}"#,
            #"{"type":"click","share":"late","visitor":"v"}"#,
        ]
        #expect(try LineClient(path: daemon.ingestSocket).exchange(lines).allSatisfy { $0 == #"{"ok":true}"# })
        // sharectl two hours behind the daemon's clock: to it, the late share is in an hour after
        // the one under way, as an event up to 5 minutes ahead can be.
        let path = daemon.directory + "/open.html"
        let run = try SharectlTests.sharectl(["report", "--output", path, "--socket", daemon.controlSocket, "--since", "6h"],
                                             launcher: FakeClock.behind(hours: 2))
        #expect(run.status == 0, "\(run.stderr)")
        let page = try Browser.inspect(path)
        #expect(page.range.contains("(7 hours)") || page.range.contains("(6 hours)"), "\(page.range)")
        #expect(page.kpis["shares"] == "1" && page.kpis["clicks"] == "0", "\(page.kpis)")
        #expect(try #require(page.tables["table-trend"]).reduce(0) { $0 + (Int($1[1]) ?? -1000) } == 1)
        #expect(!page.bodyText.contains("bob-late"), "\(page.bodyText)")

        // Run at the very start of an hour: the hour under way is that one.
        let hourStart = #"{"type":"share","share":"h0","advocate":"ann","venue":"cafe","network":"x","followers":10,"ts":"2026-12-01T03:00:00Z"}"#
        #expect(try LineClient(path: daemon.ingestSocket).exchange([hourStart]) == [#"{"ok":true}"#])
        let onTheHour = try SharectlTests.sharectl(["report", "--output", path, "--socket", daemon.controlSocket, "--since", "0h"],
                                                   launcher: FakeClock.at("2026-12-01 03:00:00"))
        #expect(onTheHour.status == 0 && onTheHour.stdout.contains("(1 hour)") && !onTheHour.stdout.contains("no data"),
                "\(onTheHour.stdout)\(onTheHour.stderr)")

        let days = try Self.report(daemon, ["--socket", daemon.controlSocket, "--since", "4d"])
        #expect(days.range.contains("(97 hours)") || days.range.contains("(4 days)"), "\(days.range)")
        #expect(days.tables["table-trend"]?.count ?? 0 >= 96, "\(days.tables["table-trend"]?.count ?? 0) buckets")
        #expect(try daemon.stop() == 0)
    }

    @Test("a range of millennia: the trend covers the hours with data, and no range before the year 1 is compared with")
    func wideRange() throws {
        let daemon = try ReportFixture.daemon()
        let path = daemon.directory + "/wide.html"
        let run = try Self.sharectl(["report", "--output", path, "--socket", daemon.controlSocket,
                                     "--since", "0001-01-01T00:00:00Z", "--until", "9999-12-31T00:00:00Z"])
        #expect(run.status == 0, "\(run.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? .max
        #expect(size < 2_000_000, "\(size) bytes")
        let page = try Browser.inspect(path, width: 1280)
        Self.expectClean(page)
        #expect(!page.bodyText.contains("compare"), "\(page.bodyText)")
        // An end rounded up past the year 9999.
        let end = try Self.report(daemon, ["--socket", daemon.controlSocket, "--until", "9999-12-31T23:30:00Z"])
        #expect(end.range.hasSuffix("– 1 Jan 10000, 00:00 UTC (\(end.range.split(separator: "(").last ?? "")"), "\(end.range)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a trend over more than one year keeps the years on its axis; one within a year leaves them out")
    func trendYears() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let events = ["2024-06-01", "2025-03-01"].enumerated().flatMap { index, day in [
            #"{"type":"share","share":"s\#(index)","advocate":"ann","venue":"cafe","network":"x","followers":10,"ts":"\#(day)T12:00:00Z"}"#,
            #"{"type":"click","share":"s\#(index)","visitor":"v","ts":"\#(day)T13:00:00Z"}"#,
        ] }
        #expect(try LineClient(path: daemon.ingestSocket).exchange(events).allSatisfy { $0 == #"{"ok":true}"# })
        for (since, until, first) in [("2024-05-31T00:00:00Z", "2025-03-02T00:00:00Z", #"["31 May 2024","1 Jun 2024""#),
                                      ("2025-02-01T00:00:00Z", "2025-03-02T00:00:00Z", #"["1 Feb","2 Feb""#)] {
            let path = daemon.directory + "/years.html"
            let run = try Self.sharectl(["report", "--output", path, "--socket", daemon.controlSocket, "--since", since, "--until", until])
            #expect(run.status == 0, "\(run.stderr)")
            let html = try String(contentsOfFile: path, encoding: .utf8)
            #expect(html.contains(#""ticks":"# + first), "\(html.firstRange(of: #""ticks":"#).map { html[$0.lowerBound...].prefix(80) } ?? "")")
            Self.expectClean(try Browser.inspect(path))
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("large numbers keep to one line in their cards, the tables fit their cards on a laptop, tiny rates are no e-notation on an axis, long ids are cut between characters; the page stays as wide as the window")
    func largestNumbers() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let share = #"{"type":"share","share":"huge","advocate":"ann","venue":"cafe","network":"x","followers":1000000000}"#
        let conversions = (1...25).map { _ in #"{"type":"conversion","share":"huge","value":999999999.999}"# }
        let clicks = (1...5).map { #"{"type":"click","share":"huge","visitor":"v\#($0)"}"# }
        let emoji = [#"{"type":"share","share":"smile","advocate":"\#(String(repeating: "😀", count: 30))","venue":"cafe","network":"x","followers":10}"#,
                     #"{"type":"click","share":"smile","visitor":"v1"}"#]
        #expect(try LineClient(path: daemon.ingestSocket).exchange([share] + conversions + clicks + emoji)
            .allSatisfy { $0 == #"{"ok":true}"# })
        for width in [1280, 1200, 1024, 390] {
            let page = try Self.report(daemon, ["--socket", daemon.controlSocket], width: width)
            #expect(page.kpis["value"] == "24999999999.975", "\(page.kpis)")
            #expect(page.kpiLines.count == 7 && page.kpiLines.values.allSatisfy { $0 == 1 }, "\(width) px: \(page.kpiLines)")
            if width >= 1024 { #expect(page.clipped.isEmpty, "\(width) px: \(page.clipped)") }
            Self.expectClean(page)
            // The mega tier's 0.00000050%: never in e-notation; a long id cut between characters.
            let rates = page.axisLabels["chart-tiers"] ?? []
            #expect(rates.contains { $0.hasSuffix("%") } && !rates.contains { $0.contains("e-") }, "\(rates)")
            #expect(page.axisLabels["chart-advocates"]?.contains(String(repeating: "😀", count: 23) + "…") == true,
                    "\(page.axisLabels["chart-advocates"] ?? [])")
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("a top advocate's venue is where most of their shares in the range are; (+N) counts the other venues they shared at, apart from the id")
    func advocateVenues() throws {
        let daemon = try DaemonProcess(arguments: ["--flush-interval", "0.2"])
        let earlier = TestEvent.rfc3339(Int64(Date().timeIntervalSince1970) - 3 * 3600)
        let lines = [
            #"{"type":"share","share":"v-old","advocate":"ann","venue":"bar-zq\u202e","network":"x","followers":10,"ts":"\#(earlier)"}"#,
            #"{"type":"share","share":"v-new","advocate":"ann","venue":"cafe-zq\u202e","network":"x","followers":10}"#,
            #"{"type":"click","share":"v-old","visitor":"a"}"#, #"{"type":"click","share":"v-new","visitor":"b"}"#,
        ]
        #expect(try LineClient(path: daemon.ingestSocket).exchange(lines).allSatisfy { $0 == #"{"ok":true}"# })
        // In the last hour ann shared at one venue, though a click on her older share at another counts.
        let hour = try Self.report(daemon, ["--socket", daemon.controlSocket, "--since", "1h"])
        #expect(hour.bodyText.contains("cafe-zq") && !hour.bodyText.contains("(+1)"), "\(hour.bodyText)")
        let day = try Self.report(daemon, ["--socket", daemon.controlSocket, "--since", "24h"])
        #expect(day.bodyText.contains("(+1)"), "\(day.bodyText)")
        // The venue (its right-to-left override included) isolated from the count after it.
        let html = try String(contentsOfFile: daemon.directory + "/report.html", encoding: .utf8)
        #expect(html.contains("<bdi>bar-zq\u{202E}</bdi> (+1)</td>") || html.contains("<bdi>cafe-zq\u{202E}</bdi> (+1)</td>"))
        #expect(try daemon.stop() == 0)
    }

    @Test("an empty range: a page that says there is no data, and exit 0")
    func emptyRange() throws {
        let daemon = try ReportFixture.daemon()
        let page = try Self.report(daemon, ["--socket", daemon.controlSocket,
                                            "--since", "2020-01-01T00:00:00Z", "--until", "2020-01-02T00:00:00Z"])
        #expect(page.noData)
        #expect(page.canvases.isEmpty && page.console.isEmpty && page.error == nil && page.resources.isEmpty)
        #expect(page.range.contains("1 Jan 2020"))
        // A range that starts after now, as `top` takes it: no data, nothing to compare with.
        let tomorrow = TestEvent.rfc3339(Int64(Date().timeIntervalSince1970) + 86400)
        let future = try Self.report(daemon, ["--socket", daemon.controlSocket, "--since", tomorrow])
        #expect(future.noData && future.console.isEmpty && future.error == nil)
        #expect(try daemon.stop() == 0)
    }

    @Test("errors: Chart.js missing names its package, an unwritable output, a bad range; no file is left")
    func errors() throws {
        let daemon = try ReportFixture.daemon()
        let socket = ["--socket", daemon.controlSocket]
        let output = daemon.directory + "/report.html"
        let missing = try Self.sharectl(["report", "--output", output] + socket,
                                        environment: ["SHARETRACK_CHART_JS": "/nonexistent/chart.min.js"])
        #expect(missing.status != 0 && missing.stderr.contains("libjs-chart.js"), "\(missing.stderr)")
        let unwritable = try Self.sharectl(["report", "--output", "/nonexistent/dir/report.html"] + socket)
        #expect(unwritable.status != 0 && unwritable.stderr.contains("cannot write /nonexistent/dir/report.html"))
        let range = try Self.sharectl(["report", "--output", output, "--since", "1h", "--until", "3h"] + socket)
        #expect(range.status != 0 && range.stderr.contains("empty time range"))
        let noOutput = try Self.sharectl(["report"] + socket)
        #expect(noOutput.status != 0 && noOutput.stderr.contains("--output"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { $0.contains("report") }.isEmpty)
        #expect(try daemon.stop() == 0)
    }
}
