import ShareTrackCore

/// Rewriting journaled batches that the tables hold already but a shared store does not yet:
/// what the daemon deletes of a person (`forget`, `visitor_retention`) is then neither kept in the
/// journal nor shipped from it while the store is not taking batches.
extension Journal {
    /// The time of `batch`'s oldest visitor pair (`summary.oldest_pair`); `Int64.max` if it has none.
    static func oldestPair(of batch: Batch) -> Int64 {
        batch.visitors.lazy.map(\.time).min() ?? .max
    }

    /// Carries out `erasure` on the batches before its own, `generation`, that stay journaled
    /// after `done`: their shares of the advocate under the pseudonym, the visitor's pairs sealed
    /// (`Erasure`'s `BatchRewrite`), so that the store gets them so. Then scrubs the journal
    /// through `done` (`scrub`): what the erasure erased is in no file in clear.
    public func erase(_ erasure: Erasure, before generation: UInt64, scrubbingThrough done: UInt64) throws {
        try rewrite(generations(where: "generation > ? AND generation < ?", Int64(done), Int64(generation)), with: erasure)
        try scrub(through: done)
    }

    /// The generations of the batches that carry erasures, oldest first.
    public func erasureGenerations() throws -> [Int64] {
        try generations(where: "erasures > 0")
    }

    /// Carries out the erasures of the batches of `generations` (`erasureGenerations`) on the
    /// batches before each, as `erase` does: a start does so, since a crash during `forget` may
    /// have come before that rewrite (the erasure journaled and applied, the batches before it not
    /// yet shipped). A batch rewritten already is left as it is. The caller scrubs the journal
    /// afterwards.
    public func redoErasures(_ generations: [Int64]) throws {
        for generation in generations {
            guard let batch = try batch(after: UInt64(generation) - 1) else { continue }
            for erasure in batch.erasures {
                try rewrite(self.generations(where: "generation < ?", generation), with: erasure)
            }
        }
    }

    /// Leaves out of the batches after `done` through `applied` the visitor pairs of clicks before
    /// `cutoff` (`visitor_retention`), their old bytes overwritten (`secure_delete`) and the
    /// write-ahead log truncated. Reads only the batches whose oldest pair is
    /// before the cutoff.
    public func expireVisitors(before cutoff: Int64, after done: UInt64, through applied: UInt64) throws {
        let aged = try generations(where: "generation > ? AND generation <= ? AND coalesce(oldest_pair, 0) < ?",
                                   Int64(done), Int64(applied), cutoff)
        guard !aged.isEmpty else { return }
        try rewrite(aged, with: VisitorExpiry(cutoff: cutoff))
        try database.truncateLog()
    }

    /// The generations in `summary` matching `condition`, whose parameters are `values`.
    private func generations(where condition: String, _ values: Int64...) throws -> [Int64] {
        let statement = try database.prepare("SELECT generation FROM summary WHERE \(condition) ORDER BY generation")
        try statement.bind(values.map { .integer($0) })
        return try statement.rows { $0.int64(0) }
    }

    /// Rewrites each batch of `generations` with `rewrite`, each in a transaction of its own: a
    /// long backlog is never in memory whole.
    private func rewrite(_ generations: [Int64], with rewrite: some BatchRewrite) throws {
        let select = try database.prepare("SELECT header, effects FROM journal WHERE generation = ?")
        let update = try database.prepare("UPDATE journal SET effects = ? WHERE generation = ?")
        let updateSummary = try database.prepare("UPDATE summary SET oldest_pair = ? WHERE generation = ?")
        for generation in generations {
            try database.transaction {
                defer { select.reset() }
                try select.bind([.integer(generation)])
                guard try select.step() else { return }
                let effects = select.blob(1)
                let rewritten = try BatchCodec.decode(header: select.blob(0), effects: effects, visitorKey: visitorKey,
                                                      rewriting: rewrite)
                try updateSummary.bind([.integer(Self.oldestPair(of: rewritten)), .integer(generation)])
                try updateSummary.run()
                guard !rewritten.effects.bytes.elementsEqual(effects) else { return }
                try rewritten.effects.bytes.withUnsafeBytes { bytes in
                    try update.bindUnowned(blob: bytes, at: 1)
                    try update.bind(generation, at: 2)
                    try update.run()
                }
            }
        }
    }
}
