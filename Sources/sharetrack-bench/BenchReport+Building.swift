import Histogram

extension BenchReport.Latency {
    /// From a histogram of microseconds.
    init(_ histogram: Histogram<UInt64>) {
        func ms(_ value: UInt64) -> Double { Double(value) / 1000 }
        p50Ms = ms(histogram.valueAtPercentile(50))
        p99Ms = ms(histogram.valueAtPercentile(99))
        p999Ms = ms(histogram.valueAtPercentile(99.9))
        maxMs = ms(histogram.max)
        meanMs = histogram.mean / 1000
    }
}

extension BenchReport.Flushes {
    init(_ observations: FlushMonitor.Observations, metrics: String?) {
        let reports = observations.flushes.values.filter { $0.error == nil }
        func median(_ sorted: [Double]) -> Double? { sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2] }
        let durations = reports.map(\.durationSeconds).sorted()
        // Applies of at least 1,000 rows: the last, small batches of a run say little.
        let applied = reports.filter { $0.applySeconds > 0 && $0.rows >= 1000 }
        let applyTimes = applied.map(\.applySeconds).sorted()
        observed = reports.count
        failed = observations.flushes.values.count - reports.count
        total = metrics.flatMap { Self.metric("sharetrack_flush_duration_seconds_count", in: $0) }.map { Int($0) }
        durationP50Ms = median(durations).map { $0 * 1000 }
        durationMaxMs = durations.last.map { $0 * 1000 }
        applyP50Ms = median(applyTimes).map { $0 * 1000 }
        applyMaxMs = applyTimes.last.map { $0 * 1000 }
        rowsMean = reports.isEmpty ? nil : Double(reports.reduce(0) { $0 + $1.rows }) / Double(reports.count)
        rowsMax = reports.map(\.rows).max()
        eventsMean = reports.isEmpty ? nil : Double(reports.reduce(0) { $0 + $1.events }) / Double(reports.count)
        eventsMax = reports.map(\.events).max()
        let scaled = applied.map { $0.applySeconds * 1000 / Double($0.rows) * 100_000 }.sorted()
        msPer100kRowsP50 = median(scaled)
        msPer100kRowsMax = scaled.last
    }

    /// The value of an unlabelled sample in a Prometheus text exposition.
    static func metric(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingPrefix(" "))
        }
        return nil
    }
}

extension BenchReport.Memory {
    init(before: ProcessUsage, after: ProcessUsage, shares: Int) {
        peakRssBytes = after.peakResidentBytes
        rssBeforeBytes = before.residentBytes
        rssAfterBytes = after.residentBytes
        knownShares = shares
        cachedTokens = nil
        bytesPerShare = Double(after.residentBytes - before.residentBytes) / Double(max(1, shares))
        peakBytesPerShare = Double(after.peakResidentBytes - before.residentBytes) / Double(max(1, shares))
    }
}

extension BenchReport {
    /// The smallest run whose performance figures are held against the targets.
    static let judgedEvents = 1_000_000

    /// The aligned table `make bench` prints.
    func table() -> String {
        let interval = setup.flushIntervalSeconds
        var lines: [String] = []
        lines.append("sharetrack-bench: \(Format.integer(eventsSent)) events (\(Format.integer(setup.mix.shares)) shares, "
            + "\(Format.integer(setup.mix.clicks)) clicks, \(Format.integer(setup.mix.conversions)) conversions; "
            + "\(Format.bytes(setup.bytes))), seed \(setup.seed)")
        lines.append("  \(setup.target), ack \(setup.ack ?? "?"), flush_interval \(interval.map { Format.fixed($0, 2) + " s" } ?? "?"), "
            + "\(setup.connections) connections, window \(Format.integer(setup.window))"
            + (setup.rate.map { ", rate \(Format.integer(Int($0))) events/s" } ?? ""))
        lines.append("  \(machine.cores) cores, \(machine.cpu), \(Format.bytes(machine.memoryBytes)), "
            + "load average \(Format.fixed(machine.loadAverage, 2)) at the start")
        lines.append("")

        var table = Table(header: ["metric", "value", "target", ""])
        func check(_ met: Bool?) -> String { met.map { $0 ? "ok" : "MISSED" } ?? "" }
        // Speed and memory per share mean something only over a run of benchmark size.
        let judged = eventsSent >= Self.judgedEvents
        func judge(_ met: Bool?) -> String { judged ? check(met) : "not judged" }
        let isCommitRun = setup.ack == "commit" && setup.rate == nil
        table.add("throughput, first byte to last answer", Format.integer(Int(eventsPerSecond)) + " events/s",
                  isCommitRun ? ">= 300,000" : "", isCommitRun ? judge(eventsPerSecond >= 300_000) : "")
        table.add("  duration", Format.seconds(seconds), "", "")
        if setup.rate != nil {
            table.add("  rate offered (first to last byte sent)", Format.integer(Int(sendingEventsPerSecond)) + " events/s", "", "")
        }
        if let transportCeiling {
            table.add("transport ceiling (trivial reader)", Format.integer(Int(transportCeiling.eventsPerSecond)) + " events/s", "", "")
            table.add("  ratio to the ceiling", Format.fixed(ratioToCeiling ?? 0, 3), "", "")
        }
        table.add("answers: ok / duplicate / rejected",
                  "\(Format.integer(ok)) / \(Format.integer(duplicates)) / \(Format.integer(rejected))",
                  "\(Format.integer(eventsSent)) ok", check(ok == eventsSent))
        if overloaded > 0 {
            table.add("  answered overloaded, sent again", Format.integer(overloaded), "", "")
        }
        if let daemonCounted {
            // Each `overloaded` answer is a rejected line to the daemon.
            table.add("  counted by the daemon", Format.integer(daemonCounted), Format.integer(eventsSent + overloaded),
                      check(daemonCounted == eventsSent + overloaded))
        }
        if let daemonOrphans { table.add("  orphans (click before share)", Format.integer(daemonOrphans), "", "") }
        let latencyTarget = interval.map { $0 * 1000 + 100 }
        table.add("answer latency p50", Format.milliseconds(ackLatency.p50Ms), "", "")
        table.add("answer latency p99", Format.milliseconds(ackLatency.p99Ms),
                  isCommitRun ? latencyTarget.map { "<= " + Format.milliseconds($0) } ?? "" : "",
                  isCommitRun ? judge(latencyTarget.map { ackLatency.p99Ms <= $0 }) : "")
        table.add("answer latency p99.9", Format.milliseconds(ackLatency.p999Ms), "", "")
        table.add("answer latency max", Format.milliseconds(ackLatency.maxMs), "", "")
        if let flushes {
            table.add("flushes seen / counted by the daemon", "\(flushes.observed) / \(flushes.total.map(String.init) ?? "?")"
                + (flushes.failed > 0 ? " (\(flushes.failed) failed)" : ""), "", "")
            if let p50 = flushes.durationP50Ms, let max = flushes.durationMaxMs {
                table.add("flush (journal commit) p50 / max", Format.milliseconds(p50) + " / " + Format.milliseconds(max), "", "")
            }
            if let p50 = flushes.applyP50Ms, let max = flushes.applyMaxMs {
                table.add("apply to the tables p50 / max", Format.milliseconds(p50) + " / " + Format.milliseconds(max), "", "")
            }
            if let p50 = flushes.msPer100kRowsP50, let worst = flushes.msPer100kRowsMax {
                table.add("apply time per 100,000 rows, p50 / worst",
                          Format.milliseconds(p50) + " / " + Format.milliseconds(worst), "< 500 ms", judge(worst < 500))
            }
            if let rows = flushes.rowsMean, let maxRows = flushes.rowsMax {
                table.add("rows per flush, mean / max", "\(Format.integer(Int(rows))) / \(Format.integer(maxRows))", "", "")
            }
            if let events = flushes.eventsMean, let maxEvents = flushes.eventsMax {
                table.add("events per flush, mean / max", "\(Format.integer(Int(events))) / \(Format.integer(maxEvents))", "", "")
            }
        }
        if let memory {
            table.add("daemon peak RSS (VmHWM)", Format.bytes(memory.peakRssBytes), "", "")
            table.add("daemon RSS before / after", "\(Format.bytes(memory.rssBeforeBytes)) / \(Format.bytes(memory.rssAfterBytes))", "", "")
            table.add("memory per known share (RSS growth)", Format.fixed(memory.bytesPerShare, 0) + " B",
                      "< 300 B", judge(memory.bytesPerShare < 300))
            table.add("  at peak RSS", Format.fixed(memory.peakBytesPerShare, 0) + " B", "", "")
            if let cached = memory.cachedTokens { table.add("  tokens cached by the daemon", Format.integer(cached), "", "") }
        }
        if let applyLagSeconds {
            table.add("tables caught up, after the last answer", Format.seconds(applyLagSeconds), "", "")
        }
        if let shipLagSeconds, let shippedEventsPerSecond {
            table.add("shared store caught up, after the last answer", Format.seconds(shipLagSeconds), "< 5 s",
                      judge(shipLagSeconds < 5))
            table.add("events shipped per second (whole run)", Format.integer(Int(shippedEventsPerSecond)), "", "")
        }
        if let daemonCpuSeconds, let daemonCores {
            table.add("daemon CPU", Format.seconds(daemonCpuSeconds) + " (" + Format.fixed(daemonCores, 2) + " cores)", "", "")
        }
        if let daemonCpuMicrosecondsPerEvent {
            table.add("  per event, until the tables caught up", Format.fixed(daemonCpuMicrosecondsPerEvent, 2) + " µs", "", "")
        }
        table.add("bench CPU while sending", Format.seconds(benchCpuSeconds), "", "")
        lines.append(table.render())
        if !judged {
            lines.append("targets not judged: this run sent \(Format.integer(eventsSent)) events; speed, latency and "
                + "memory per share are judged on runs of \(Format.integer(Self.judgedEvents)) or more (the default is "
                + "2,000,000), where start-up, the first flushes and the allocator's first growth no longer dominate")
        }
        if let firstRejection { lines.append("first rejection: \(firstRejection)") }
        if let daemonExitStatus, daemonExitStatus != 0 { lines.append("the daemon exited with status \(daemonExitStatus)") }
        return lines.joined(separator: "\n")
    }
}
