import Foundation
import Glibc

/// Debian's headless Chromium, networking disabled, loading a report page the way a person
/// would, and reporting what it drew: each canvas's painted pixels, the tables' cells, the
/// headline numbers, the page's error box, the requests it made, horizontal overflow, and every
/// console message (errors included) Chromium logged.
///
/// The report is loaded in an iframe of a small check page beside it, which reads its document
/// once it has loaded (file pages may read each other with `--allow-file-access-from-files`), and
/// writes the findings as JSON into its own DOM, printed by `--dump-dom`.
enum Browser {
    struct Canvas: Decodable {
        var id: String
        var width: Int
        var height: Int
        var painted: Int
    }

    struct Inspection: Decodable {
        var canvases: [Canvas]
        /// Table id → rows → cells (`data-value` where a cell has one, else its text).
        var tables: [String: [[String]]]
        /// Headline number (`data-kpi`) → its exact value.
        var kpis: [String: String]
        /// Headline number → the lines its text takes.
        var kpiLines: [String: Int]
        /// The ids of the tables wider than their box (scrolled sideways).
        var clipped: [String]
        /// Canvas id → the labels of its charts' axes, as drawn.
        var axisLabels: [String: [String]]
        var error: String?
        var resources: [String]
        var overflow: Int
        var title: String
        var range: String
        var noData: Bool
        var bodyText: String
        /// Console lines Chromium logged (filled in after decoding).
        var console: [String] = []

        private enum CodingKeys: String, CodingKey {
            case canvases, tables, kpis, kpiLines, clipped, axisLabels, error, resources, overflow, title, range, noData, bodyText
        }
    }

    static let executable = "/usr/bin/chromium"

    /// Loads `page` in a viewport `width` pixels wide.
    static func inspect(_ page: String, width: Int = 1280) throws -> Inspection {
        let directory = URL(fileURLWithPath: page).deletingLastPathComponent().path
        let check = directory + "/browser-check.html"
        let pageName = URL(fileURLWithPath: page).lastPathComponent
        try checkPage(report: pageName, width: width).write(toFile: check, atomically: true, encoding: .utf8)
        let profile = try DaemonProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let stdout = profile + "/stdout", stderr = profile + "/stderr"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)/profile",
            "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
            // No network: every host name fails, and any proxy request goes to a closed port.
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=10000", "--dump-dom", "file://" + check,
        ]
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
        process.standardError = FileHandle(forWritingAtPath: stderr)
        try process.run()
        process.waitForTermination(timeout: 120)
        let dom = try String(contentsOfFile: stdout, encoding: .utf8)
        let log = try String(contentsOfFile: stderr, encoding: .utf8)
        guard let start = dom.range(of: "<pre id=\"result\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { throw TestFailure("Chromium printed no result (exit \(process.terminationStatus)):\n\(dom.suffix(2000))\n\(log.suffix(3000))") }
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        guard json.hasPrefix("{") else { throw TestFailure("the check page failed: \(json)\n\(log.suffix(3000))") }
        var inspection = try JSONDecoder().decode(Inspection.self, from: Data(json.utf8))
        inspection.console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return inspection
    }

    private static func checkPage(report: String, width: Int) -> String {
        """
        <!DOCTYPE html><html><body>
        <iframe id="report" src="\(report)" style="width:\(width)px;height:1600px;border:0"></iframe>
        <pre id="result">pending</pre>
        <script>
        document.getElementById("report").addEventListener("load", function () {
          var out = document.getElementById("result");
          try {
            var w = this.contentWindow, d = w.document;
            var canvases = Array.from(d.querySelectorAll("canvas")).map(function (c) {
              var pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, painted = 0;
              for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted++; } }
              return { id: c.id, width: c.width, height: c.height, painted: painted };
            });
            var tables = {};
            d.querySelectorAll("table").forEach(function (t) {
              tables[t.id] = Array.from(t.tBodies[0].rows).map(function (r) {
                return Array.from(r.cells).map(function (c) { return c.dataset.value !== undefined ? c.dataset.value : c.textContent; });
              });
            });
            var kpis = {}, kpiLines = {};
            d.querySelectorAll("[data-kpi]").forEach(function (e) {
              kpis[e.dataset.kpi] = e.dataset.value;
              var text = d.createRange();
              text.selectNodeContents(e);
              kpiLines[e.dataset.kpi] = new Set(Array.from(text.getClientRects()).map(function (r) { return r.top; })).size;
            });
            var axisLabels = {};
            d.querySelectorAll("canvas").forEach(function (c) {
              var chart = w.Chart && w.Chart.getChart(c);
              axisLabels[c.id] = chart ? Object.values(chart.scales).flatMap(function (scale) {
                return scale.ticks.map(function (tick) { return [].concat(tick.label).join(" "); });
              }) : [];
            });
            var clipped = Array.from(d.querySelectorAll("table")).filter(function (t) {
              return t.parentElement.scrollWidth > t.parentElement.clientWidth;
            }).map(function (t) { return t.id; });
            var error = d.getElementById("chart-error");
            out.textContent = JSON.stringify({
              canvases: canvases, tables: tables, kpis: kpis, kpiLines: kpiLines, clipped: clipped, axisLabels: axisLabels, error: error.hidden ? null : error.textContent,
              resources: w.performance.getEntriesByType("resource").map(function (e) { return e.name; }),
              overflow: d.documentElement.scrollWidth - d.documentElement.clientWidth, title: d.title,
              range: (d.getElementById("report-range") || {}).textContent || "", noData: !!d.getElementById("no-data"),
              bodyText: d.body.innerText
            });
          } catch (e) { out.textContent = "failed: " + e; }
        });
        </script></body></html>
        """
    }
}
