import Dispatch
import Glibc
import ShareTrackCore
import ShareTrackStore

extension Flusher {
    /// Why an erasure could not be finished now (the flush or the apply is failing).
    struct ForgetFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Carries out `erasure` and calls `completion` with the visitor pairs it removed, once what
    /// it erased is in no file of the daemon:
    ///
    /// 1. the pending batch is flushed, and the erasure leads a batch of its own (`Engine.erase`);
    /// 2. both are journaled and applied: the tables then hold every batch before the erasure, and
    ///    the erasure has deleted (visitor) or renamed (advocate) the id in them, with
    ///    `secure_delete` overwriting the old bytes; the database's write-ahead log is emptied and
    ///    truncated;
    /// 3. the journal's rows through the erasure are deleted and the journal rebuilt (`VACUUM`),
    ///    its write-ahead log truncated.
    ///
    /// With a shared store the journal keeps its batches until they are shipped, the erasure's
    /// included (it erases there too): step 3 waits for that, up to 3 s. Past that `forget` fails
    /// saying so (and naming the pseudonym), and the journal is scrubbed at the first flush after
    /// the store has it (`scrubShipped`). A crash in between leaves the erasure in the journal: the
    /// next start applies it and scrubs.
    func forget(_ erasure: Erasure, completion: @escaping @Sendable (Result<Int, ForgetFailure>) -> Void) {
        queue.async { [self] in
            completion(Result { () throws(ForgetFailure) in try forgetOnQueue(erasure) })
        }
    }

    private func forgetOnQueue(_ erasure: Erasure) throws(ForgetFailure) -> Int {
        dispatchPrecondition(condition: .onQueue(queue))
        _ = flushOnQueue()
        guard let generation = pipeline.erase(erasure) else {
            throw ForgetFailure(description: "the flush is failing (\(lastReport?.error ?? "unknown")); try again later")
        }
        for attempt in 0..<50 where pipeline.committedGeneration < generation {
            if attempt > 0 { usleep(100_000) }
            _ = flushOnQueue()
        }
        applyQueue.sync { applyJournaled() }
        guard pipeline.appliedGeneration >= generation else {
            throw ForgetFailure(description: "the erasure is journaled but not applied yet "
                                + "(\(lastReport?.error ?? "unknown")); it completes when the flush recovers")
        }
        do {
            try store.withLock { try $0.truncateLog() }
        } catch {
            throw ForgetFailure(description: "the id is erased from the tables, but emptying the database's log failed: \(error)")
        }
        let removed = state.withLock { $0.erasedPairs.removeValue(forKey: generation) } ?? 0
        for attempt in 0..<30 where shippedGeneration() < generation {
            if attempt > 0 { usleep(100_000) }
        }
        guard shippedGeneration() >= generation else {
            state.withLock { $0.unshippedErasure = generation }
            let done = switch erasure {
            case .advocate(_, let pseudonym): "its counters are now under \(pseudonym)"
            case .visitor: "\(removed) visitor pairs removed"
            }
            throw ForgetFailure(description: "the id is erased from the database (\(done)); the shared store has not "
                                + "received the erasure yet (shipping is behind or failing): it completes there, and the "
                                + "journal, which keeps it until then, is scrubbed, once shipping catches up")
        }
        do {
            try journal.withLock { try $0.scrub(through: generation) }
        } catch {
            throw ForgetFailure(description: "the id is erased from the tables, but scrubbing the journal failed: \(error)")
        }
        return removed
    }

    /// Scrubs the journal once the shared store has the erasure a `forget` could not wait for
    /// (`State.unshippedErasure`); on `queue`, before a flush.
    func scrubShipped() {
        guard let generation = state.withLock({ $0.unshippedErasure }), shippedGeneration() >= generation else { return }
        do {
            try journal.withLock { try $0.scrub(through: generation) }
            state.withLock { $0.unshippedErasure = nil }
            logger.notice("the shared store has the erasure; the journal is scrubbed", metadata: ["generation": "\(generation)"])
        } catch {
            logger.error("scrubbing the journal after an erasure failed; retrying at the next flush",
                         metadata: ["error": "\(error)"])
        }
    }
}
