import Glibc

/// The machine the run was on, for the record.
struct Machine: Codable {
    var cores: Int
    var cpu: String
    var memoryBytes: Int
    /// /proc/loadavg's 1-minute load when the run started: other work on the machine skews results.
    var loadAverage: Double

    static func current() -> Machine {
        let cpuinfo = (try? contents("/proc/cpuinfo")) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingPrefix(" ") } ?? "unknown"
        let meminfo = (try? contents("/proc/meminfo")) ?? ""
        let kilobytes = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
            .flatMap { Int($0) } ?? 0
        let load = ((try? contents("/proc/loadavg")) ?? "").split(separator: " ").first.flatMap { Double($0) } ?? 0
        return Machine(cores: sysconf(Int32(_SC_NPROCESSORS_ONLN)), cpu: String(model), memoryBytes: kilobytes * 1024,
                       loadAverage: load)
    }

    private static func contents(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw UnixSocket.Failure("open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// CPU seconds this process has used (user + system).
func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
