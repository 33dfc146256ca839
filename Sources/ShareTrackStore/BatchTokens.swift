import ShareTrackCore

/// Where each token's rows are in the final live batches (every batch but the last, which may still
/// grow), indexed once per batch: an answer about a few tokens (`share`, `advocate`) looks those up
/// instead of testing every counter row of every waiting batch, which was 91% of a live `advocate`
/// answer (docs/benchmarks.md, round 12). The last batch is walked as before.
struct BatchTokens {
    /// A token's rows in one batch: the hours of its counter rows, and its share's index.
    private struct Rows {
        var hours: [Int64] = []
        var share: Int?
    }

    private var byGeneration: [UInt64: [String: Rows]] = [:]

    /// The parts of `batches` that are about `tokens` (as `Batch.only`), oldest first; forgets the
    /// batches that are not in `batches` any more (applied).
    mutating func only(_ tokens: Set<String>, of batches: [Batch]) -> [Batch] {
        let live = Set(batches.map(\.generation))
        for generation in Array(byGeneration.keys) where !live.contains(generation) { byGeneration[generation] = nil }
        return batches.indices.map { index in
            let batch = batches[index]
            guard index < batches.count - 1 else { return batch.only(tokens.contains) }
            let rows = byGeneration[batch.generation] ?? Self.index(batch)
            byGeneration[batch.generation] = rows
            var keys: [CounterKey] = []
            var shares: [Int] = []
            for token in tokens {
                guard let found = rows[token] else { continue }
                keys += found.hours.map { CounterKey(token: token, hour: $0) }
                shares += found.share.map { [$0] } ?? []
            }
            return batch.only(counters: keys, shares: shares.sorted())
        }
    }

    private static func index(_ batch: Batch) -> [String: Rows] {
        var rows: [String: Rows] = [:]
        rows.reserveCapacity(batch.counters.count)
        for key in batch.counters.keys { rows[key.token, default: Rows()].hours.append(key.hour) }
        for (index, share) in batch.shares.enumerated() { rows[share.token, default: Rows()].share = index }
        return rows
    }
}
