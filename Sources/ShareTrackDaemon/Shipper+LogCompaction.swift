import ShareTrackShared

extension Shipper {
    /// How often the shipper looks at the rollup log's size at most.
    static let logCompactionPeriod: Duration = .seconds(300)

    /// Rewrites the store's rollup log if it is mostly empty space (`SharedStore.compactRollupLog`):
    /// called on the queue right after a pump folded the log, the first time and then at most
    /// once a `logCompactionPeriod`.
    func compactRollupLog(in store: SharedStore) throws(PostgresError) {
        let due = logCompacted.withLock { last in
            guard last.isDue(every: Self.logCompactionPeriod) else { return false }
            last = .now
            return true
        }
        guard due else { return }
        let start = ContinuousClock.now
        guard let (before, after) = try store.compactRollupLog() else { return }
        logger.info("shared store: compacted the rollup log", metadata: [
            "node": "\(node)", "bytes_before": "\(before)", "bytes_after": "\(after)",
            "ms": "\(Int((ContinuousClock.now - start).seconds * 1000))",
        ])
    }
}
