import Glibc

/// What /proc tells of another process on this machine: resident memory and CPU time.
struct ProcessUsage: Sendable {
    /// Resident set size now (VmRSS) and at its peak (VmHWM), bytes.
    var residentBytes: Int
    var peakResidentBytes: Int
    /// User plus system CPU time, seconds.
    var cpuSeconds: Double

    /// The usage of process `pid`, or nil if /proc cannot show it.
    static func of(_ pid: Int32) -> ProcessUsage? {
        guard let status = read("/proc/\(pid)/status"), let stat = read("/proc/\(pid)/stat") else { return nil }
        func kilobytes(_ field: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]),
              let rss = kilobytes("VmRSS"), let hwm = kilobytes("VmHWM")
        else { return nil }
        return ProcessUsage(residentBytes: rss * 1024, peakResidentBytes: hwm * 1024,
                            cpuSeconds: (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
