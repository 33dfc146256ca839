import Foundation

/// Chart.js, read from Debian's `libjs-chart.js` at run time to be inlined in the report page.
enum ChartLibrary {
    static let debianPath = "/usr/share/javascript/chart.js/chart.min.js"
    /// Overrides the path (another build of Chart.js 3 or 4, for systems without the package).
    static let environmentKey = "SHARETRACK_CHART_JS"

    static func load() throws(Failure) -> String {
        let path = ProcessInfo.processInfo.environment[environmentKey] ?? debianPath
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            throw Failure("cannot read Chart.js at \(path), which the report's charts are drawn with: install "
                          + "Debian's libjs-chart.js package (apt-get install libjs-chart.js), or name another "
                          + "chart.min.js with \(environmentKey)", exitCode: 69)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
