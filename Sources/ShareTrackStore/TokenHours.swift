import ShareTrackCore

/// The hours of each token's counter deltas in the final live batches (every one but the last,
/// which may still grow), made the first time an `advocate` answer needs a batch's, and kept until
/// the batch is applied (like `KeptGroups`): such an answer then looks its advocate's few tokens up
/// in each batch, instead of hashing the token of every delta of every batch (two thirds of its
/// time live; docs/benchmarks.md, round 9). About as much memory as the batch's counter keys.
struct TokenHours {
    private var byGeneration: [UInt64: [String: [Int64]]] = [:]

    /// Forgets the batches whose generation is not in `unapplied` (the tables hold them now).
    mutating func retain(_ unapplied: Set<UInt64>) {
        byGeneration = byGeneration.filter { unapplied.contains($0.key) }
    }

    /// `batch.only(tokens.contains)`; through its hours per token if `final` (the batch will not
    /// change), made now if it has none yet.
    mutating func only(_ batch: Batch, _ tokens: Set<String>, final: Bool) -> Batch {
        guard final else { return batch.only(tokens.contains) }
        let hours = byGeneration[batch.generation] ?? Self.hours(of: batch)
        byGeneration[batch.generation] = hours
        let keys = tokens.flatMap { token in (hours[token] ?? []).map { CounterKey(token: token, hour: $0) } }
        return batch.only(keys, shares: tokens.contains)
    }

    private static func hours(of batch: Batch) -> [String: [Int64]] {
        var hours: [String: [Int64]] = [:]
        for key in batch.counters.keys { hours[key.token, default: []].append(key.hour) }
        return hours
    }
}
