import Glibc
import ShareTrackCore
import ShareTrackShared

extension Shipper {
    /// How often retention runs in the shared store at most: with the shipper working at least
    /// every 10 s, a pair that came of age is gone from the store within 40 s (the contract: a minute).
    static let retentionPeriod: Duration = .seconds(30)
    /// Visitor pairs one transaction in the store deletes.
    static let retentionChunk = 5000

    /// Deletes visitor pairs older than `seconds` (0: never) from the shared store too: the next
    /// time the shipper works (within 10 s), then at most once a `retentionPeriod`.
    func setRetention(seconds: Double) {
        retention.withLock { $0 = StoreRetention(seconds: seconds) }
    }

    /// One run of retention in the store, if one is due: called on the queue right after shipping
    /// worked, so a failing store is not touched (the run waits until shipping works again).
    /// Each node deletes by its own retention: in a store shared by nodes with different ones,
    /// the shortest wins.
    func expireVisitors(in store: SharedStore) throws(PostgresError) {
        let due = retention.withLock { retention -> Double? in
            guard retention.seconds > 0, retention.lastRun.isDue(every: Self.retentionPeriod) else { return nil }
            return retention.seconds
        }
        guard let seconds = due else { return }
        let cutoff = RetentionReport.cutoff(now: Double(time(nil)), retention: seconds)
        var total = 0
        while true {
            let removed = try store.deleteVisitors(before: cutoff, limit: Self.retentionChunk)
            total += removed
            if removed < Self.retentionChunk { break }
        }
        retention.withLock { $0.lastRun = .now }
        if total > 0 {
            logger.info("shared store: visitor retention removed expired visitor pairs",
                        metadata: ["node": "\(node)", "pairs": "\(total)"])
        }
    }
}
