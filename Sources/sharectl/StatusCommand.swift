import ArgumentParser
import ShareTrackCore

struct StatusCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's health at a glance.",
        discussion: """
            Version, pid and uptime; config file, ack mode and flush interval; the database and \
            its size; the last flush; what is pending (not yet committed); totals since start; the \
            event rate over the last 10 s and 1 min; connections; with a shared store, its state \
            and backlog; after an upgrade, the rollups still being built in the background (the \
            local database's, and the shared store's).
            """)

    @OptionGroup var connection: ConnectionOptions

    func request(now: Int64) -> ControlRequest {
        ControlRequest(command: .status)
    }

    func printText(_ status: StatusReport, now: Int64) {
        let totals = status.totals
        let accepted = EventType.allCases.map { "\($0.rawValue) \(Formatting.integer(totals.acceptedByType[$0.rawValue] ?? 0))" }
        let rejected = totals.rejectedByCode.sorted { $0.key < $1.key }
            .map { "\($0.key) \(Formatting.integer($0.value))" }
        var fields = [
            ("daemon", "sharetrackd \(status.version), pid \(status.pid), up \(Formatting.duration(status.uptimeSeconds))"),
            ("config", status.configFile + (status.configFileFound == false ? " (not found: the defaults are used)" : "")),
            ("ack", status.ack),
            ("flush interval", Formatting.duration(status.flushInterval)),
            ("database", "\(status.database.path) (\(Formatting.bytes(status.database.sizeBytes)))"),
        ]
        if let flush = status.lastFlush {
            let outcome = flush.error == nil ? Self.describe(flush) : Self.describe(failed: flush)
            fields.append(("last flush", "\(timeAndAge(Int64(flush.time), now: now)): \(outcome)"))
            if let error = flush.error { fields.append(("last flush error", error)) }
        } else {
            fields.append(("last flush", "none yet"))
        }
        fields += [
            ("pending", "\(Formatting.integer(status.pending.events)) events, \(Formatting.integer(status.pending.keys)) keys"),
            ("applying", "\(Formatting.integer(status.applying.batches)) batches "
                + "(\(Formatting.integer(status.applying.events)) events) committed, not yet in the tables"),
            ("accepted", "\(Formatting.integer(totals.accepted)) (\(accepted.joined(separator: ", ")))"),
            ("rejected", Formatting.integer(totals.rejected) + (rejected.isEmpty ? "" : " (\(rejected.joined(separator: ", ")))")),
            ("duplicates", Formatting.integer(totals.duplicates)),
            ("orphans", Formatting.integer(totals.orphans)),
            ("test", Formatting.integer(totals.test)),
            ("rate", "\(Formatting.decimal(status.rate.last10s)) events/s over 10 s, "
                + "\(Formatting.decimal(status.rate.last1m)) over 1 min"),
            ("connections", "\(Formatting.integer(status.connections.open)) open, "
                + "\(Formatting.integer(status.connections.total)) total, \(Formatting.integer(status.connections.refused)) refused"),
            ("cached tokens", Formatting.integer(status.cachedTokens)),
        ]
        if let building = status.rollupsBuilding {
            fields.append(("rollups", Self.describe(building: building)))
        }
        if let key = status.visitorKey { fields.append(("visitor key", "fingerprint \(key)")) }
        if let retention = status.visitorRetention { fields.append(("visitor retention", Self.describe(retention, now: now))) }
        if let shared = status.sharedStore {
            fields.append(("shared store", "\(shared.state.rawValue), node \(shared.node), shipped through generation "
                + "\(shared.shippedGeneration); backlog \(Formatting.integer(shared.backlogBatches)) batches "
                + "(\(Formatting.integer(shared.backlogEvents)) events, oldest \(Formatting.duration(shared.oldestBacklogSeconds)))"))
            if let error = shared.lastError { fields.append(("shared store error", error)) }
            if let building = shared.rollupsBuilding { fields.append(("shared store rollups", Self.describe(building: building))) }
        }
        printFields(fields)
    }

    /// `building rollup_hours, … in the background (answers exact; some slower until built)`.
    static func describe(building rollups: [String]) -> String {
        "building \(rollups.joined(separator: ", ")) in the background (answers exact; some slower until built)"
    }

    /// `90d; last run 2026-11-28T03:30:49Z (12s ago) removed 120 visitor pairs (4,512 since start)`.
    static func describe(_ retention: RetentionReport, now: Int64) -> String {
        guard retention.seconds > 0 else { return "off (visitor hashes are kept for ever)" }
        let setting = Formatting.duration(retention.seconds)
        guard let lastRun = retention.lastRun.flatMap({ RFC3339.parse($0) }) else { return "\(setting); not run yet" }
        return "\(setting); last run \(timeAndAge(lastRun, now: now)) removed "
            + "\(Formatting.integer(retention.removedLastRun)) visitor pairs (\(Formatting.integer(retention.removedTotal)) since start)"
    }

    /// `1,234 events, 56 rows, 2 producers in 12 ms, applied in 80 ms (generation 42)`: the rows are
    /// counters, shares and visitors; a producer's row (its seq and line counts) is written for
    /// duplicate and rejected lines too, so a batch of only such lines says that it counted nothing.
    static func describe(_ flush: FlushReport) -> String {
        let rows = flush.rows - flush.sources
        let written = rows == 0 && flush.sources > 0
            ? [counted(flush.events, "event"), "nothing to count (duplicate or rejected lines)",
               counted(flush.sources, "producer") + " updated"]
            : [counted(flush.events, "event"), counted(rows, "row")]
                + (flush.sources > 0 ? [counted(flush.sources, "producer")] : [])
        return written.joined(separator: ", ") + " in \(Formatting.duration(flush.durationSeconds))"
            + (flush.applySeconds > 0 ? ", applied in \(Formatting.duration(flush.applySeconds))" : "")
            + " (generation \(flush.generation))"
    }

    /// A flush that failed (`FlushReport.error`: making its batch durable, or applying the
    /// journaled batches to the tables); either is retried by the next flush.
    static func describe(failed flush: FlushReport) -> String {
        "failed at generation \(flush.generation), retried at the next flush (pending and applying say what waits)"
    }

    /// `1 event`, `2 events`.
    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(Formatting.integer(count)) \(noun)\(count == 1 ? "" : "s")"
    }
}
