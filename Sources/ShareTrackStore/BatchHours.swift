import ShareTrackCore

/// The hours of each final live batch's counter rows (every batch but the last, which may still
/// grow), found once per batch, so that an answer about a few tokens (`share`, `advocate`) looks
/// each token up at those hours (`Batch.only(_:at:)`) instead of testing every counter row of every
/// waiting batch, which was 91% of a live `advocate` answer (docs/benchmarks.md, round 12). A batch
/// holds a day or two of hours, so that is a few lookups per token; where it would be more lookups
/// than the batch has rows (many tokens), the batch is walked as before.
struct BatchHours {
    private var byGeneration: [UInt64: [Int64]] = [:]

    /// The parts of `batches` that are about `tokens` (as `Batch.only`), oldest first; forgets the
    /// batches that are not in `batches` any more (applied).
    mutating func only(_ tokens: Set<String>, of batches: [Batch]) -> [Batch] {
        let live = Set(batches.map(\.generation))
        for generation in Array(byGeneration.keys) where !live.contains(generation) { byGeneration[generation] = nil }
        return batches.indices.map { index in
            let batch = batches[index]
            let hours = byGeneration[batch.generation] ?? Array(batch.hours)
            if index < batches.count - 1 { byGeneration[batch.generation] = hours }
            return tokens.count * hours.count < batch.counters.count ? batch.only(tokens, at: hours) : batch.only(tokens.contains)
        }
    }
}
