import ShareTrackCore
import Synchronization

/// Every share token the database can hold, as a scalable Bloom filter: when it says a token is
/// absent, the token is certainly not in the database, and a cache miss on it needs no SQLite read.
///
/// Most cache misses are new tokens (a new share, or its first click), and without the filter each
/// cost two B-tree lookups on the ingest queue. With it, a miss on a new token is a few hashes; only
/// tokens the filter cannot rule out (the ones really in the database, and about 1% of the others)
/// are read.
///
/// The filter is a superset of the database's tokens because it holds (a) every token the database
/// had when `TokenReader` opened it, added by a scan in the background (until that scan finishes,
/// the filter rules nothing out), and (b) every token loaded since, which is every token the daemon
/// has written since: the engine writes a token only after it has loaded it into its cache.
///
/// Memory: about 10-20 bits per token (stages double in size as tokens arrive).
final class TokenFilter: Sendable {
    private struct State {
        var stages: [BloomStage] = [BloomStage(capacity: 1 << 20)]
        /// The scan of the tokens the database had at open has finished.
        var complete = false

        /// Adds to the newest stage, starting a twice larger one when it is full.
        mutating func add(_ hash: UInt64) {
            if stages[stages.count - 1].isFull {
                stages.append(BloomStage(capacity: stages[stages.count - 1].capacity * 2))
            }
            stages[stages.count - 1].insert(hash)
        }
    }

    private let state = Mutex(State())

    /// Adds `token`; returns whether it may have been in the database already (`true` until the
    /// initial scan has finished).
    func insert(_ token: String) -> Bool {
        let hash = FastHash.of(token)
        return state.withLock { state in
            let present = state.stages.contains { $0.contains(hash) }
            if !present { state.add(hash) }
            return present || !state.complete
        }
    }

    /// Adds tokens found by the initial scan.
    func insert(scanned hashes: [UInt64]) {
        state.withLock { state in
            for hash in hashes { state.add(hash) }
        }
    }

    /// The initial scan has added every token the database had.
    func markComplete() {
        state.withLock { $0.complete = true }
    }
}

/// One Bloom filter of a fixed capacity: at least 10 bits per token and 7 probes (under 1% false
/// positives when full).
private struct BloomStage {
    let capacity: Int
    private var words: [UInt64]
    private let mask: UInt64
    private var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        var bits = 64
        while bits < capacity * 10 { bits <<= 1 }
        words = [UInt64](repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
    }

    var isFull: Bool { count >= capacity }

    mutating func insert(_ hash: UInt64) {
        var probe = hash
        let step = hash >> 32 | 1
        for _ in 0..<7 {
            let bit = probe & mask
            words[Int(bit >> 6)] |= 1 << (bit & 63)
            probe &+= step
        }
        count += 1
    }

    func contains(_ hash: UInt64) -> Bool {
        var probe = hash
        let step = hash >> 32 | 1
        for _ in 0..<7 {
            let bit = probe & mask
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            probe &+= step
        }
        return true
    }
}
