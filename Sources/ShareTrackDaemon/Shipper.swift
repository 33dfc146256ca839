import Dispatch
import Glibc
import Logging
import ShareTrackCore
import ShareTrackShared
import ShareTrackStore
import Synchronization

/// Ships the journal's batches to the shared store, in order, on a queue of its own with one
/// connection; nothing else in the daemon waits for it.
///
/// It reads the batches from the journal file (they wait there, not in memory, however long the
/// store is away) after the generation the store holds, a few hundred thousand rows per
/// transaction when it has fallen behind. A transient failure (the store unreachable, a
/// serialization failure or deadlock, a server shutting down) is retried forever with exponential
/// backoff and jitter, capped near a minute; a permanent one (a constraint or data error, a refusal)
/// stops shipping and says why, instead of skipping a batch. The log says when shipping starts
/// failing and when it works again, once per change, not once per retry.
final class Shipper: Sendable {
    struct Configuration: Sendable {
        var conninfo: String
        /// `shared_store_password_file`, read at each connection (`currentPassword()`).
        var passwordFile: String?
        var node: String
        var databaseID: Int64
        var keyFingerprint: String?
        var keyFile: String
    }

    private struct State {
        /// The generation the store holds of this node; nil until known (first contact, or a new
        /// node that has not shipped yet).
        var shipped: UInt64?
        var failure: (message: String, permanent: Bool)?
        var attempt = 0
        var retryScheduled = false
        /// Whether a pump waits on the queue (`wake()`): one is enough, whatever the commits since.
        var pumpQueued = false
        var lastCaughtUpMark: ContinuousClock.Instant?
        /// While the pump works with the store: when the store last answered it (or the pump
        /// began); nil between pumps, and during a migration (which takes its time, and says so).
        var waitingSince: ContinuousClock.Instant?
        /// Whether the log has said that the store does not answer (`logUnanswered`).
        var unansweredLogged = false
        /// Every node of the store, as last read (after a shipment or an idle mark); nil until the
        /// store has answered once since the start.
        var nodes: [NodeRow]?
    }

    /// Rows per transaction when catching up.
    static let maxRows = 400_000
    /// Seconds between marks of an idle node as caught up (for `nodes`' lag).
    static let idleMark: Duration = .seconds(30)
    /// How long each of the pump's steps with the store (connecting and its checks, a shipment, a
    /// rollup build step and the like) may wait for the store's answer before shipping counts as
    /// failing: a stopped server, or a table another session holds locked, answers nothing, and
    /// no error ever comes. (The largest shipments, `maxRows` rows, take seconds.)
    static let unansweredAfter: Duration = .seconds(30)

    private let queue = DispatchQueue(label: "sharetrack.ship")
    private let configuration: Configuration
    /// The last generation this node has committed (its journal's, or its database's).
    private let committedGeneration: @Sendable () -> UInt64
    private let reader: Mutex<JournalReader>
    private let state: Mutex<State>
    /// The connection; only the queue takes this lock (it guards no more than that).
    private let store = Mutex<SharedStore?>(nil)
    private let ticker = Mutex<(any DispatchSourceTimer)?>(nil)
    let logger: Logger
    /// The visitor retention applied to the store (`Shipper+Retention`).
    let retention = Mutex(StoreRetention())
    /// The store's rollup builds (`Shipper+RollupBuilds`); only the queue changes it.
    let buildProgress = Mutex(SharedBuildProgress())
    /// When the rollup log's size was last looked at (`Shipper+LogCompaction`).
    let logCompacted = Mutex<ContinuousClock.Instant?>(nil)

    init(configuration: Configuration, reader: consuming sending JournalReader, logger: Logger,
         committedGeneration: @escaping @Sendable () -> UInt64) {
        self.configuration = configuration
        self.committedGeneration = committedGeneration
        self.reader = Mutex(reader)
        self.logger = logger
        state = Mutex(State())
    }

    var node: String { configuration.node }

    /// The generation through which the journal may forget batches as far as shipping goes.
    var doneGeneration: UInt64 {
        state.withLock { $0.shipped ?? 0 }
    }

    /// Ships what is journaled now, and every 10 s from now on: an idle node then still tells the
    /// store it is caught up, reads the other nodes for `nodes`, and folds the rollup log rows
    /// that nobody folded yet (their shares arrived later, or the node that shipped them was busy).
    func start() {
        ticker.withLock { ticker in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: 10)
            timer.setEventHandler { [weak self] in self?.wake() }
            timer.resume()
            ticker = timer
        }
    }

    /// Ships what is journaled; called after every journal commit. A pump already waiting on the
    /// queue ships this commit too: while a shipment waits for the store (a table held locked),
    /// commits would otherwise queue a pump each, run back to back once it answers.
    func wake() {
        guard !state.withLock({ state in
            defer { state.pumpQueued = true }
            return state.pumpQueued
        }) else { return }
        queue.async { [self] in
            let skip = state.withLock { state in
                state.pumpQueued = false
                return state.retryScheduled || state.failure?.permanent == true
            }
            guard !skip else { return }
            pump()
        }
    }

    /// Every node of the store as last read (`sharectl nodes`): answering never waits for the store.
    /// This node's own lag is at least its backlog's age now, however old the reading (while the
    /// store is down, the reading stops moving). When the store has failed before answering once
    /// since the start, an error saying why (while the first contact is under way, none yet).
    func nodes() throws(ControlError) -> [NodeRow] {
        let (read, failure, shipped) = state.withLock { ($0.nodes, $0.failure?.message, $0.shipped) }
        guard var nodes = read else {
            guard let failure else { return [] }
            throw ControlError(.failed, "the shared store has not answered since the start (\(failure)); "
                               + "sharectl nodes --db with its connection string asks it directly")
        }
        if let own = nodes.firstIndex(where: { $0.node == node }), let oldest = backlog(after: shipped).oldestTime {
            nodes[own].behindSeconds = max(nodes[own].behindSeconds, Double(Int64(time(nil)) - oldest))
        }
        return nodes
    }

    /// Why shipping fails, nil while it works (for `status` and `STATUS=`): the last attempt's
    /// error (`stopped: ...` when permanent), or a step the store has not answered for
    /// `unansweredAfter`.
    var failure: String? {
        state.withLock { state in
            if let failure = state.failure { return failure.permanent ? "stopped: " + failure.message : failure.message }
            return Self.unanswered(since: state.waitingSince)
        }
    }

    private static func unanswered(since: ContinuousClock.Instant?) -> String? {
        guard let since, case let waited = ContinuousClock.now - since, waited > unansweredAfter else { return nil }
        return "no answer from the shared store for \(Int(waited.seconds)) s (is the server stopped, or does a "
            + "session hold a table locked?)"
    }

    /// Says in the log, once, that the store has stopped answering (`failure` says it meanwhile),
    /// and once that the wait is over; called once a second.
    func logUnanswered() {
        let (unanswered, changed) = state.withLock { state in
            let unanswered = Self.unanswered(since: state.waitingSince)
            defer { state.unansweredLogged = unanswered != nil }
            return (unanswered, (unanswered != nil) != state.unansweredLogged)
        }
        guard changed else { return }
        if let unanswered {
            logger.error("shared store: shipping waits for an answer", metadata: ["node": "\(node)", "error": "\(unanswered)"])
        } else {
            logger.notice("shared store: no longer waiting for an answer", metadata: ["node": "\(node)"])
        }
    }

    /// The `status` view: state, place, backlog and the store's rollup builds.
    func status(flushInterval: Double) -> SharedStoreStatus {
        let shipped = state.withLock { $0.shipped } ?? shippedAtLeast()
        let failure = failure
        let backlog = backlog(after: shipped)
        let age = backlog.oldestTime.map { max(0, Double(Int64(time(nil)) - $0)) } ?? 0
        let state: SharedStoreStatus.State = failure != nil ? .failing : age > max(5, 3 * flushInterval) ? .behind : .ok
        return SharedStoreStatus(
            state: state, node: node, shippedGeneration: shipped, backlogBatches: backlog.batches,
            backlogEvents: backlog.events, oldestBacklogSeconds: age, lastError: failure,
            rollupsBuilding: buildProgress.withLock { $0.building }.flatMap { $0.isEmpty ? nil : $0 })
    }

    // MARK: On the queue

    /// Ships until the journal has nothing more, folds the rollup log (a chunk at a time, the
    /// batches journaled meanwhile shipped first) and builds the rollups a few steps further if
    /// some are (coming back at once if more is left), then does what is due now and then
    /// (retention, compacting the log), or fails.
    private func pump() {
        dispatchPrecondition(condition: .onQueue(queue))
        heard()
        defer { state.withLock { $0.waitingSince = nil } }
        do {
            let building = try store.withLock { connection in
                let store = try answered { try connection ?? connect() }
                connection = store
                repeat {
                    try shipJournaled(store)
                } while try answered { try store.fold() } == SharedStore.foldChunk
                let building = try answered { try buildRollups(in: store, journaled: journaled) }
                try answered { try markIdle(store) }
                let nodes = try answered { try SharedNodes.read(store.connection) }
                state.withLock { $0.nodes = nodes }
                try answered { try expireVisitors(in: store) }
                try answered { try compactRollupLog(in: store) }
                return building
            }
            recovered()
            if building { wake() }
        } catch let error as PostgresError {
            failed(error.description, permanent: !error.isTransient)
        } catch {
            // The journal could not be read: the next commit or retry tries again.
            failed("reading the journal: \(error)", permanent: false)
        }
    }

    /// Ships until the journal has nothing more.
    private func shipJournaled(_ store: SharedStore) throws {
        while true {
            let shipped = state.withLock { $0.shipped }
            guard let next = try nextBatches(after: shipped) else { return }
            let held = try answered { try store.ship(Shipment(next.batches, batchTime: next.time), caughtUp: !next.more) }
            state.withLock { $0.shipped = held }
            recovered()
            if !next.more { return }
        }
    }

    /// Runs a step of the pump with the store, then notes that the store answered (`failure`
    /// measures the wait from there).
    private func answered<Result>(_ step: () throws -> Result) rethrows -> Result {
        let result = try step()
        heard()
        return result
    }

    private func heard() {
        state.withLock { $0.waitingSince = .now }
    }

    /// Whether batches wait to be shipped (false if the journal cannot be read: the next pump says why).
    private func journaled() -> Bool {
        backlog(after: state.withLock { $0.shipped }).batches > 0
    }

    /// What `status` says was shipped before the store has told (since the start, or ever): the
    /// journal keeps every batch until it is shipped, so all before its oldest are (or were
    /// committed before `shared_store` was set); with none journaled, all committed. 0 if the
    /// journal cannot be read.
    private func shippedAtLeast() -> UInt64 {
        do {
            return try reader.withLock { try $0.oldestGeneration() }.map { $0 - 1 } ?? committedGeneration()
        } catch {
            return 0
        }
    }

    /// The journal's batches after `shipped` (empty if the journal cannot be read).
    private func backlog(after shipped: UInt64?) -> JournalReader.Backlog {
        (try? reader.withLock { try $0.backlog(after: shipped ?? 0) }) ?? .empty
    }

    private func connect() throws -> SharedStore {
        // Every node's shipping waits for a migration: moments since schema version 8, which has
        // the rollups versions 5-7 add summed in steps afterwards (`buildRollups`); a while on a
        // large store from version 2, whose migration sums every rollup at once.
        let store = try SharedStore(conninfo: configuration.conninfo, password: configuration.currentPassword(),
                                    node: configuration.node, databaseID: configuration.databaseID,
                                    keyFingerprint: configuration.keyFingerprint, keyFile: configuration.keyFile,
                                    beforeMigrating: { [self] from, to in
            state.withLock { $0.waitingSince = nil }
            logger.notice("shared store: migrating its schema; shipping waits for it, on a large store a while",
                          metadata: ["from": "\(from)", "to": "\(to)"])
        }, notices: { [logger] in logger.debug("shared store: the server says", metadata: ["message": "\($0)"]) })
        if let (from, to, took) = store.migrated {
            logger.notice(from == 0 ? "shared store: created its schema" : "shared store: migrated its schema",
                          metadata: ["from": "\(from)", "to": "\(to)", "ms": "\(Int(took.seconds * 1000))"])
        }
        let held = try store.lastShipped()
        if let held { try checkSameStream(held) }
        state.withLock { $0.shipped = held?.generation ?? $0.shipped }
        buildProgress.withLock { $0 = SharedBuildProgress() }
        return store
    }

    /// Refuses a store that holds a batch of this node newer than the node's last, or one of a
    /// generation the journal holds that the node committed at another time: its database was
    /// restored from a backup (or copied), and numbers its new batches from the backup's
    /// generation on; the store would take those whose generations it holds for retries of what
    /// it has, and drop them. The second is a node restored while the store was down, which has
    /// committed past the store's generation by the time it connects. (A batch the store took
    /// whose answer was lost is still journaled, committed at the time the store holds.)
    private func checkSameStream(_ held: (generation: UInt64, batchTime: Int64)) throws {
        let committed = committedGeneration()
        let restored: String
        if held.generation > committed {
            restored = "this database has committed only \(committed)"
        } else if let journaled = try reader.withLock({ try $0.commitTime(of: held.generation) }), journaled != held.batchTime {
            restored = "this database committed its batch \(held.generation) at \(RFC3339.format(journaled)), "
                + "not at \(RFC3339.format(held.batchTime))"
        } else {
            return
        }
        throw PostgresError(sqlState: "55000", message: "the shared store holds node \(node) up to generation "
                            + "\(held.generation), but \(restored) (restored from a backup, or copied?): "
                            + "its new batches would be taken for ones the store has; run it under a new node name")
    }

    /// The batches to ship next, after the generation the store holds (a new node: from the oldest
    /// the journal holds); nil when there are none. A store that is missing batches the journal
    /// no longer has is a permanent error.
    private func nextBatches(after shipped: UInt64?) throws -> (batches: [Batch], more: Bool, time: Int64)? {
        try reader.withLock { reader in
            guard let oldest = try reader.oldestGeneration() else { return nil }
            let after = shipped ?? oldest - 1
            guard oldest <= after + 1 else {
                throw PostgresError(sqlState: "55000", message: "the shared store holds node \(node) up to generation "
                                    + "\(after), but the journal starts at \(oldest): batches are missing")
            }
            let next = try reader.batches(after: after, maxRows: Self.maxRows)
            return next.batches.isEmpty ? nil : next
        }
    }

    private func markIdle(_ store: SharedStore) throws {
        let due = state.withLock { state in
            state.shipped != nil && state.lastCaughtUpMark.isDue(every: Self.idleMark)
        }
        guard due else { return }
        try store.markCaughtUp()
        state.withLock { $0.lastCaughtUpMark = .now }
    }

    private func recovered() {
        let previous = state.withLock { state in
            defer {
                state.failure = nil
                state.attempt = 0
            }
            return state.failure
        }
        if previous != nil {
            logger.notice("shared store: shipping again", metadata: ["node": "\(node)"])
        }
    }

    /// Records a failure; a transient one is retried after a backoff, a permanent one stops shipping.
    private func failed(_ message: String, permanent: Bool) {
        // A connection that failed may be broken: the next attempt connects afresh.
        store.withLock { $0 = nil }
        let (changed, delay) = state.withLock { state in
            let changed = state.failure == nil || state.failure?.permanent != permanent
            state.failure = (message, permanent)
            state.attempt += 1
            state.retryScheduled = !permanent
            return (changed, Self.backoff(attempt: state.attempt))
        }
        if changed {
            logger.error(permanent ? "shared store: shipping stopped; fix the cause and restart the daemon"
                                   : "shared store: shipping fails; retrying with backoff",
                         metadata: ["node": "\(node)", "error": "\(message)"])
        }
        guard !permanent else { return }
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            state.withLock { $0.retryScheduled = false }
            pump()
        }
    }

    /// Seconds before retry `attempt` (1, 2, ...): doubling from 0.25 s up to 60 s, times a random
    /// factor from 0.5 to 1 so that a chain of nodes does not retry in step.
    static func backoff(attempt: Int) -> Double {
        min(60, 0.25 * Double(1 << min(attempt - 1, 10))) * Double.random(in: 0.5...1)
    }
}
