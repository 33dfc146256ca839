import ShareTrackCore

/// Keeping the rollups (`RollupWriter`): in each applied batch's transaction, and built in steps
/// for a database that had none.
extension Store {
    /// Whether the rollups hold every share's counters (else `buildRollups` has more to do).
    public var rollupsComplete: Bool { rollupsBuilding.isEmpty }

    /// The tables of the rollups still being built, in the order `buildRollups` completes them:
    /// every one while the shares' counters are added to them, then those summed from the others
    /// (`RollupBuilds`); then the indexes it makes (`Schema.builtIndexes`); empty once all are done.
    public var rollupsBuilding: [String] {
        (rollups.builtThrough != nil ? Rollup.all.map(\.table)
            : rollups.builds.builtThrough.keys.sorted().map { Rollup.all[$0].table }) + indexesMissing
    }

    /// Whether the next step of `buildRollups` sums rows of a rollup from the others (`RollupBuilds`),
    /// by as many rows as it is told.
    public var sumsRollupsInSteps: Bool { rollups.builtThrough == nil && !rollups.builds.builtThrough.isEmpty }

    /// Whether queries read the rollups: they hold every share's counters (a rollup may still be
    /// summed from the others, `RollupBuilds`; queries read the others meanwhile).
    public var rollupsReadable: Bool { rollups.builtThrough == nil }

    /// Shares whose counters one step of `buildRollups` adds, in one transaction between applies
    /// (about a second on the writer on this project's loaded 2-core machine, never on an answer's path).
    public static let rollupBuildShares = 2_000

    /// Rows of `Rollup.source` (`rollup_groups` or `rollup_hour_groups`) one step of
    /// `buildRollups` adds to a rollup being summed from them (`RollupBuilds`), in one transaction
    /// between applies, unless told otherwise: 0.1-0.8 s on this project's loaded 2-core machine
    /// (docs/benchmarks.md). The daemon starts each rollup with it and paces the next steps
    /// (`Flusher.nextRollupStepRows`).
    public static let rollupBuildRows = 50_000

    /// Builds the rollups one step further, in one transaction: adds the counters of the next
    /// `shares` shares to every rollup, or once they are in, the next `rows` rows of the rollups
    /// being summed from them (with the rest of the last row's share group), or once those are
    /// complete, makes the next missing index (`Schema.builtIndexes`, whole); returns whether all
    /// are done. The daemon calls it between applies until they are.
    @discardableResult
    public func buildRollups(shares: Int = rollupBuildShares, rows: Int = rollupBuildRows) throws -> Bool {
        if rollups.builtThrough != nil {
            rollups.builtThrough = try writing { try rollups.build(shares: shares) }
        } else if !rollups.builds.builtThrough.isEmpty {
            rollups.builds.builtThrough = try writing { try rollups.builds.step(rows: rows) }
        } else if let index = Schema.builtIndexes.first(where: { indexesMissing.contains($0.name) }) {
            try writing { try database.execute(index.sql) }
            indexesMissing.removeAll { $0 == index.name }
        }
        return rollupsComplete
    }

    /// Runs `body` in one transaction; if it fails, the rollups forget what it numbered. Once it
    /// has committed, the log is copied into the database file (`Database.checkpoint()`), so that
    /// a backlog applied transaction after transaction does not grow the log: every page read
    /// searches it, and a log growing into new blocks of the file has the file system clear each
    /// (docs/benchmarks.md, round 14: at 2M shares it reached 2 GB, and the apply cost 12% more).
    func writing<Result>(_ body: () throws -> Result) throws -> Result {
        let result: Result
        do {
            result = try database.transaction(body)
        } catch {
            rollups.rolledBack()
            throw error
        }
        database.checkpoint()
        return result
    }

    /// Stages what `batch` (its rows written already) brings to the rollups, for
    /// `RollupWriter.addStaged()` once the transaction's batches are written. The counter deltas of
    /// the transaction's new shares (`newShares`, of any of its batches) are not staged: those
    /// shares enter with every counter row of their token, which by then holds the deltas of every
    /// batch, and in a batch that holds a share and its first clicks they are most of its rows
    /// (docs/benchmarks.md, round 5 of issue 13).
    func stageForRollups(_ batch: Batch, excluding newShares: Set<String>, with binder: inout RowBinder) throws {
        let staged = batch.counters.lazy.filter { !newShares.contains($0.key.token) }
        try write(staged, by: { ($0.key.token, $0.key.hour) }, with: &binder,
                  one: rollups.stageCounter, many: rollups.stageCounters) { entry, row in
            row.add(entry.key.token)
            row.add(entry.key.hour)
            Self.add(entry.value, to: &row)
        }
        try write(batch.shares, by: { ($0.token, 0) }, with: &binder,
                  one: rollups.stageShare, many: rollups.stageShares) { share, row in
            row.add(share.token)
        }
    }
}
