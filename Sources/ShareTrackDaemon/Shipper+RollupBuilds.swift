import Logging
import ShareTrackShared
import ShareTrackStore

/// Where the shared store's rollup builds (`SharedRollupBuilds`) stand, as this node last saw them.
struct SharedBuildProgress {
    /// The rollups still being built after the last step; nil until a step since connecting asked.
    var building: [String]?
    /// The rows the next step takes, paced like the local builds' (`Flusher.nextRollupStepRows`).
    var stepRows = Store.rollupBuildRows
    var started = ContinuousClock.now
}

extension Shipper {
    /// Steps of the shared store's rollup builds, after the shipments and folds: one, then more
    /// while nothing new waits to be shipped (`journaled`), for up to `Flusher.rollupBuildSeconds`
    /// in all, so that a step delays a shipment by itself at most (a step holds the fold's lock, so
    /// the other nodes skip their folds meanwhile). Returns whether some are left: the pump then
    /// comes back at once, after shipping what was journaled meanwhile. The store is asked which
    /// are being built once per connection (only a migration, when connecting, starts builds).
    func buildRollups(in store: SharedStore, journaled: () -> Bool) throws(PostgresError) -> Bool {
        if buildProgress.withLock({ $0.building }) == nil {
            let building = try store.rollupsBuilding()
            buildProgress.withLock { $0 = SharedBuildProgress(building: building) }
            if !building.isEmpty {
                logger.notice("shared store: building rollups in the background; answers stay exact, some slower until built",
                              metadata: ["rollups": "\(building.joined(separator: ","))"])
            }
        }
        let start = ContinuousClock.now
        while true {
            let (building, rows, started) = buildProgress.withLock { ($0.building ?? [], $0.stepRows, $0.started) }
            guard !building.isEmpty else { return false }
            let stepStart = ContinuousClock.now
            // Another node holds the fold's lock (it folds, or builds): the next pump tries again,
            // and `status` says what the store has left (that node may finish every build).
            guard let left = try store.buildRollups(rows: rows) else {
                let left = try store.rollupsBuilding()
                buildProgress.withLock { $0.building = left }
                return false
            }
            let seconds = (ContinuousClock.now - stepStart).seconds
            buildProgress.withLock { progress in
                // Once a rollup is done, the next one's steps start over: its rows cost more or less.
                progress.stepRows = left.count < building.count
                    ? Store.rollupBuildRows : Flusher.nextRollupStepRows(after: rows, took: seconds)
                progress.building = left
            }
            logger.debug("shared store: rollups built a step further", metadata: ["ms": "\(Int(seconds * 1000))", "rows": "\(rows)"])
            if left.isEmpty {
                logger.notice("shared store: rollups built", metadata: ["s": "\(Int((ContinuousClock.now - started).seconds))"])
                return false
            }
            if (ContinuousClock.now - start).seconds >= Flusher.rollupBuildSeconds || journaled() { return true }
        }
    }
}
