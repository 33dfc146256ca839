import Dispatch
import Glibc
import ShareTrackCore
import ShareTrackStore

extension Flusher {
    /// Why an erasure could not be finished now (the flush or the apply is failing).
    struct ForgetFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// What a finished erasure did.
    struct ForgetDone: Sendable {
        /// The rows the erasure changed in the tables: visitor pairs deleted, or shares renamed.
        var erasedRows: Int
        /// Whether the shared store had the erasure when it finished (always, without one).
        var shipped: Bool
    }

    /// Carries out `erasure` and calls `completion` once what it erased is in no file of the
    /// daemon:
    ///
    /// 1. the pending batch is flushed, and the erasure leads a batch of its own (`Engine.erase`);
    /// 2. both are journaled (the erasure sealed) and applied: the tables then hold every batch
    ///    before the erasure, and the erasure has deleted (visitor) or renamed (advocate) the id in
    ///    them, with `secure_delete` overwriting the old bytes;
    /// 3. the database file is rebuilt (`Store.scrub`: stale copies in pages' unused space) and its
    ///    write-ahead log truncated;
    /// 4. the journal's batches before the erasure are deleted, and the journal rebuilt (`VACUUM`),
    ///    its write-ahead log truncated (`Journal.erase`).
    ///
    /// Step 1 and the journaling run on the flush queue; the apply and steps 3-4 on the apply
    /// queue, so that flushes, and the answers that wait for them, go on meanwhile.
    ///
    /// With a shared store the journal keeps its batches until they are shipped, the erasure's
    /// included (it erases there too). Step 4 waits up to 3 s for that; past it, the batches
    /// before the erasure that wait to be shipped are rewritten with the id erased from them (the
    /// store gets them so, and then the erasure, for what it had before), and `forget` finishes
    /// with the store's part pending.
    func forget(_ erasure: SealedErasure, completion: @escaping @Sendable (Result<ForgetDone, ForgetFailure>) -> Void) {
        queue.async { [self] in
            let generation: UInt64
            switch Result(catching: { () throws(ForgetFailure) in try journalErasureOnQueue(erasure) }) {
            case .success(let applied): generation = applied
            case .failure(let failure): return completion(.failure(failure))
            }
            applyQueue.async { [self] in
                completion(Result { () throws(ForgetFailure) in try scrubErased(erasure.erasure, generation: generation) })
            }
        }
    }

    /// Step 1, and the journaling of step 2; returns the erasure's generation.
    private func journalErasureOnQueue(_ erasure: SealedErasure) throws(ForgetFailure) -> UInt64 {
        dispatchPrecondition(condition: .onQueue(queue))
        _ = flushOnQueue()
        guard let generation = pipeline.erase(erasure) else {
            throw ForgetFailure(description: "the flush is failing (\(lastReport?.error ?? "unknown")); try again later")
        }
        for attempt in 0..<50 where pipeline.committedGeneration < generation {
            if attempt > 0 { usleep(100_000) }
            _ = flushOnQueue()
        }
        guard pipeline.committedGeneration >= generation else {
            state.withLock { $0.unfinishedErasures.append((erasure.erasure, generation)) }
            throw ForgetFailure(description: "the flush is failing (\(lastReport?.error ?? "unknown")); the erasure "
                                + "is kept in memory and completes when the flush recovers")
        }
        return generation
    }

    /// The apply of step 2, and steps 3-4, for the erasure of `generation`, which the journal holds.
    private func scrubErased(_ erasure: Erasure, generation: UInt64) throws(ForgetFailure) -> ForgetDone {
        dispatchPrecondition(condition: .onQueue(applyQueue))
        applyJournaled()
        guard pipeline.appliedGeneration >= generation else {
            state.withLock { $0.unfinishedErasures.append((erasure, generation)) }
            throw ForgetFailure(description: "the erasure is journaled but not applied yet "
                                + "(\(lastReport?.error ?? "unknown")); it completes when the flush recovers")
        }
        do {
            return try finish(erasure, generation: generation, waitingForShipping: true)
        } catch {
            let seconds = finishLater([(erasure, generation)], failure: error)
            throw ForgetFailure(description: "\(error); it is tried again in \(seconds) s")
        }
    }

    /// Steps 3-4 of the erasures whose `forget` returned before the tables held them, once they
    /// do (after each apply), and of those whose steps 3-4 failed (`finishLater`): the id then
    /// ends up in no file all the same.
    func finishErasures() {
        dispatchPrecondition(condition: .onQueue(applyQueue))
        let applied = pipeline.appliedGeneration
        let due: [(erasure: Erasure, generation: UInt64)] = state.withLock { state in
            guard state.halted == nil, state.erasureRetry?.due == nil else { return [] }
            let due = state.unfinishedErasures.filter { $0.generation <= applied }
            state.unfinishedErasures.removeAll { $0.generation <= applied }
            return due
        }
        for (index, (erasure, generation)) in due.enumerated() {
            do {
                _ = try finish(erasure, generation: generation, waitingForShipping: false)
                state.withLock { $0.erasureRetry = nil }
                logger.notice("an erasure that forget left unfinished is complete: the id is in no file",
                              metadata: ["generation": "\(generation)"])
            } catch {
                finishLater(Array(due[index...]), failure: error)
                return
            }
        }
    }

    /// Keeps `erasures`, whose steps 3-4 failed (say, no room for the `VACUUM`), to be tried
    /// again after `erasureRetrySeconds(failures:)`, with or without an apply then, and not after
    /// every apply: each try rebuilds the whole file. One try at a time is due: an erasure that
    /// fails while one is (another `forget`) waits for it. Returns the seconds until then.
    @discardableResult
    private func finishLater(_ erasures: [(erasure: Erasure, generation: UInt64)], failure: ForgetFailure) -> Int {
        let (seconds, scheduled) = state.withLock { state in
            state.unfinishedErasures.append(contentsOf: erasures)
            if let due = state.erasureRetry?.due {
                return (max(1, Int((due - .now).seconds.rounded(.up))), false)
            }
            let failures = (state.erasureRetry?.failures ?? 0) + 1
            let seconds = Self.erasureRetrySeconds(failures: failures)
            state.erasureRetry = (failures, due: .now + .seconds(seconds))
            return (seconds, true)
        }
        logger.error("finishing an erasure failed; it is tried again in \(seconds) s",
                     metadata: ["generations": "\(erasures.map { String($0.generation) }.joined(separator: ","))",
                                "error": "\(failure)"])
        if scheduled {
            applyQueue.asyncAfter(deadline: .now() + .seconds(seconds)) { [self] in
                state.withLock { $0.erasureRetry?.due = nil }
                finishErasures()
            }
        }
        return seconds
    }

    /// Seconds before the next try after `failures` failed finishes in a row: 10, doubling up to 600.
    static func erasureRetrySeconds(failures: Int) -> Int {
        min(600, 10 << min(failures - 1, 6))
    }

    /// Steps 3-4 for the erasure of `generation`, which the tables hold; with a shared store,
    /// `waitingForShipping` gives it up to 3 s to ship the erasure first.
    private func finish(_ erasure: Erasure, generation: UInt64, waitingForShipping: Bool) throws(ForgetFailure) -> ForgetDone {
        do {
            try store.withLock { try $0.scrub() }
        } catch {
            throw ForgetFailure(description: "the id is erased from the tables, but rebuilding the database's file failed: \(error)")
        }
        let erased = state.withLock { $0.erasedRows.removeValue(forKey: generation) } ?? 0
        for attempt in 0..<(waitingForShipping ? 30 : 0) where shippedGeneration() < generation {
            if attempt > 0 { usleep(100_000) }
        }
        let shipped = shippedGeneration()
        do {
            try journal.withLock { try $0.erase(erasure, before: generation, scrubbingThrough: min(shipped, generation)) }
        } catch {
            throw ForgetFailure(description: "the id is erased from the tables, but scrubbing the journal failed: \(error)")
        }
        return ForgetDone(erasedRows: erased, shipped: shipped >= generation)
    }
}
