import Dispatch
import Glibc
import Logging
import ShareTrackCore
import ShareTrackStore
import Synchronization

/// `sharetrackd`: wires the ingest server, the flusher, the control server, signals and systemd
/// together, and runs until SIGTERM or SIGINT.
public final class Daemon: Sendable {
    struct State {
        var settings: Settings
        /// Signal sources and timers, kept alive for the life of the process.
        var sources: [any DispatchSourceProtocol] = []
        var stopping = false
    }

    let flags: [Settings.Key: String]
    let logger: Logger
    let notifier: SystemdNotifier?
    let started = ContinuousClock.now
    let pipeline: Pipeline
    let flusher: Flusher
    /// With a shared store: ships the journal's batches there.
    let shipper: Shipper?
    let ingest: IngestServer
    let control: ControlServer
    let queries: QueryRunner
    let exports: ExportStreams
    let stats: DaemonStats
    let metrics: DaemonMetrics
    private let listening: (ingest: Int32, control: Int32)
    /// Hashes the visitor ids of `forget`; its fingerprint names it in the log and `status`.
    let visitorKey: VisitorKey
    /// Held for the life of the process: one daemon per database.
    private let lock: DatabaseLock
    /// Socket files this process created (and so removes on exit, if they are still its own).
    private let createdSockets: [SocketFile]
    let state: Mutex<State>
    /// SIGTERM, SIGINT and SIGHUP: blocked from the start of `init` (and of `sharetrackd`, which
    /// calls `blockSignals()` first), so that one sent while a start reads its settings or opens
    /// (and perhaps migrates) the database waits for `run()` instead of ending the process.
    private let signals: BlockedSignals
    private static let handledSignals = [SIGTERM, SIGINT, SIGHUP]
    /// Where signals and `sharectl reload` are handled, one at a time, in the order they came.
    let lifecycleQueue: DispatchQueue

    /// Blocks the signals the daemon takes in the calling thread, before a daemon is made: what
    /// `sharetrackd` does first of all.
    public static func blockSignals() {
        _ = BlockedSignals(handledSignals)
    }

    /// Opens the database and the sockets; nothing is served until `run()`.
    public init(settings: Settings, flags: [Settings.Key: String]) throws {
        // Before any thread starts: every thread inherits the mask.
        signals = BlockedSignals(Self.handledSignals)
        // Failed writes are reported as errors (EPIPE, EFBIG), not as signals that kill the daemon.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        // First, so that every batch's large buffers get mappings of their own (see there).
        MallocTrim.configure()
        self.flags = flags
        // No level of its own: the handler follows the configured, reloadable `log_level`.
        logger = Logger(label: "sharetrackd")
        notifier = SystemdNotifier.fromEnvironment()

        try DatabaseFiles.refuseLink(databasePath: settings.database)
        try DatabaseFiles.refuseNonDatabase(databasePath: settings.database)
        try Self.makeParentDirectory(of: settings.database)
        // Before anything else touches the database, its journal or the sockets.
        lock = try DatabaseLock(database: settings.database)
        // A daemon of a version before the lock may run on these files: the sockets it listens on
        // tell, before a migration would change the database under it.
        let passed = try ListenSockets.fromEnvironment()
        let passedIngest = try passed.unixStreamSocket(named: "ingest", at: settings.ingestSocket)
        let passedControl = try passed.unixStreamSocket(named: "control", at: settings.controlSocket)
        for (fd, path) in [(passedIngest, settings.ingestSocket), (passedControl, settings.controlSocket)] where fd == nil {
            _ = try UnixSocket.isStale(path)
        }
        try DatabaseFiles.checkBeforeOpen(databasePath: settings.database)
        let hashesStored = VisitorHashMigration.hashesStored(inDatabaseAt: settings.database)
        let visitorKey = try VisitorKeyFile.load(settings.visitorKeyFile,
                                                 mayCreate: settings.visitorKeyFileSetting == nil || !hashesStored)
        let store = try Store(path: settings.database, visitorKey: visitorKey) { [logger, notifier] from, to in
            Self.announceMigration(of: settings.database, from: from, to: to, logger: logger, notifier: notifier)
        }
        let journal = try Journal(databasePath: settings.database, databaseID: store.id, visitorKey: visitorKey)
        let shipping = try Shipper.Configuration.from(settings, databaseID: store.id, visitorKey: visitorKey)
        // What a crash left journaled was answered `ok`: it goes into the tables before anything else,
        // and an erasure among it finishes (what it erased is then scrubbed from both files). With a
        // shared store the journal keeps it until it is shipped too.
        do {
            // One batch at a time: a long shared-store backlog may be in it, never read whole.
            // (With a shared store it also keeps batches the tables hold, until they are shipped.)
            if let next = try journal.batch(after: store.generation), next.generation > store.generation + 1 {
                throw StoreError.cannotOpen(path: settings.database, reason: "the database holds generation "
                    + "\(store.generation) but its journal continues at \(next.generation): the database is older than "
                    + "its journal (was it replaced by an older copy?): put the right file back; or, to start from this "
                    + "copy (a backup) on purpose, move \(Journal.path(of: settings.database)) aside (with its -wal and "
                    + "-shm, where there), giving up the events the journal holds after the copy")
            }
            var erased = false
            // Lines accepted and answered duplicate (`Batch.events`).
            var recovered = (batches: 0, lines: 0)
            while let batch = try journal.batch(after: store.generation) {
                try store.apply(batch)
                erased = erased || !batch.erasures.isEmpty
                recovered = (recovered.batches + 1, recovered.lines + batch.events)
            }
            if recovered.batches > 0 {
                logger.notice("applied the batches the journal held that the tables did not",
                              metadata: ["batches": "\(recovered.batches)", "lines": "\(recovered.lines)"])
            }
            // An erasure the journal holds, applied now or before a crash that cut its `forget`
            // short, rebuilds the file, as `forget` would have (`Store.scrub`). (`erased` finds
            // those of a journal written before it counted a batch's erasures.)
            let erasures = try journal.erasureGenerations()
            try erased || !erasures.isEmpty ? store.scrub() : store.truncateLog()
            // Without a shared store the journal is done with what the tables hold; with one it
            // keeps it until it is shipped (the scrub then forgets nothing, and only compacts), the
            // batches before an erasure rewritten first (`forget` may not have done so yet).
            if shipping != nil { try journal.redoErasures(erasures) }
            try journal.scrub(through: shipping == nil ? store.generation : 0)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: settings.database, reason: "cannot apply its journal: \(error)")
        }
        // After the journal's batches (whose apply waits out a locked database): the record is a write.
        if let before = try store.recordVisitorKey(visitorKey) {
            logger.warning("""
                \(settings.database) last ran with another visitor key than visitor_key_file's: every visitor \
                stored under that key counts as new from now on; if the database came from a backup, stop the \
                daemon and put back the key file that belongs with it (this key is on record now; the next start \
                with that one says so once more)
                """, metadata: ["recorded_key": "\(before)", "visitor_key": "\(visitorKey.fingerprint)"])
        }
        let files = DatabaseFiles(databasePath: settings.database)
        let engine = Engine(configuration: Self.engineConfiguration(settings), committedGeneration: store.generation,
                            valueTotal: store.valueTotal)
        pipeline = Pipeline(engine: engine, reader: try TokenReader(path: settings.database))
        queries = QueryRunner(try Queries(path: settings.database))
        if store.rollupsReadable { queries.prepare() }
        if !store.rollupsComplete {
            logger.notice("""
                building the rollups of \(settings.database) in the background, in steps between \
                applies; until the log says "rollups built", answers stay exact but \
                \(store.rollupsReadable ? "some" : "all") read slower paths
                """)
        }
        self.visitorKey = visitorKey
        exports = ExportStreams(databasePath: settings.database)
        let stats = DaemonStats()
        let metrics = DaemonMetrics()
        let loop = try EventLoop()
        let ingest = IngestServer(pipeline: pipeline, stats: stats, settings: settings,
                                  committedGeneration: engine.committedGeneration, visitorKey: visitorKey, loop: loop)
        self.stats = stats
        self.metrics = metrics
        self.ingest = ingest
        let shipper = try Self.shipper(shipping, databasePath: settings.database, visitorKey: visitorKey,
                                       pipeline: pipeline, logger: logger)
        self.shipper = shipper
        control = ControlServer(loop: loop, idleTimeout: settings.idleTimeout.seconds)

        let unused = passed.sockets.filter { $0.fd != passedIngest && $0.fd != passedControl }
        if !unused.isEmpty {
            logger.warning("""
                sockets passed by systemd other than the first named ingest and the first named control (or, unnamed, \
                bound at ingest_socket and control_socket) are not used (name them with FileDescriptorName=)
                """, metadata: ["names": "\(unused.map(\.name).sorted().joined(separator: ","))"])
            // Closed, so that a client of one is refused rather than left waiting in its queue
            // (where systemd keeps a copy, as it does of its units' sockets, they stay open there).
            for socket in unused { close(socket.fd) }
        }
        var created: [SocketFile] = []
        do {
            listening = (
                ingest: try passedIngest ?? Self.socket(at: settings.ingestSocket, mode: settings.socketMode, created: &created),
                control: try passedControl ?? Self.socket(at: settings.controlSocket, mode: settings.socketMode,
                                                          created: &created))
        } catch {
            // A start that fails leaves no socket file of its own behind.
            created.forEach { $0.remove() }
            throw error
        }
        createdSockets = created
        let lifecycle = DispatchQueue(label: "sharetrack.lifecycle")
        lifecycleQueue = lifecycle
        let onHalt = Self.halt(pipeline: pipeline, notifier: notifier, logger: logger, sockets: created,
                               lifecycle: lifecycle)
        flusher = Flusher(store: store, journal: journal, files: files, pipeline: pipeline, logger: logger,
                          shippedGeneration: { [shipper] in shipper?.doneGeneration ?? .max },
                          onReport: metrics.recordFlush, onHalt: onHalt) { [shipper, queries, pipeline] in
            ingest.committed($0)
            shipper?.wake()
            queries.keepUp { pipeline.live(after: $0.pendingSeen, asking: false) }
        }
        state = Mutex(State(settings: settings))
    }

    /// Serves until stopped; does not return.
    public func run() -> Never {
        let settings = state.withLock { $0.settings }
        ingest.start(listening: listening.ingest)
        control.start(listening: listening.control) { [self] request, connection in
            answer(request, on: connection)
        }
        flusher.schedule(every: settings.flushInterval)
        flusher.scheduleRetention(seconds: settings.visitorRetention.seconds)
        shipper?.setRetention(seconds: settings.visitorRetention.seconds)
        shipper?.start()
        startTicker()
        notifier?.ready()
        let listens = { (path: String) in self.createdSockets.contains { $0.path == path } ? path : "passed by systemd" }
        logger.notice("sharetrackd \(shareTrackVersion) ready", metadata: [
            "ingest": "\(listens(settings.ingestSocket))", "control": "\(listens(settings.controlSocket))",
            "database": "\(settings.database)", "ack": "\(settings.value(of: .ack))",
            "visitor_key": "\(visitorKey.fingerprint)",
        ])
        OpsAccess.warnIfMissing(settings.opsGroup, logger: logger)
        for socket in createdSockets { socket.warnIfOthersKeptOut(logger: logger) }
        while true {
            let number = signals.next()
            // The lifecycle queue is busy with the stop: say so now, not once it is over.
            if number != SIGHUP, state.withLock({ $0.stopping }) {
                logger.notice("\(number == SIGINT ? "SIGINT" : "SIGTERM") again: still stopping (committing and answering what is held)")
            }
            lifecycleQueue.async { [self] in
                switch number {
                case SIGHUP: _ = reload()
                case SIGINT: shutDown(signal: "SIGINT")
                default: shutDown(signal: "SIGTERM")
                }
            }
        }
    }

    // MARK: Sockets

    /// A socket the daemon makes itself at `path` (one systemd passes is already non-blocking and
    /// close-on-exec).
    private static func socket(at path: String, mode: UInt32, created: inout [SocketFile]) throws -> Int32 {
        try makeParentDirectory(of: path, mode: 0o755)
        let fd = try UnixSocket.listen(path: path, mode: mode)
        created.append(try SocketFile(boundAt: path))
        return fd
    }

    /// Creates the directory that will hold `path` if it does not exist yet, and any missing above
    /// it, with `mode`: the database's 0750 (its files are private), a socket's 0755 (as systemd's
    /// `RuntimeDirectory=`: the socket's own mode, `socket_mode`, decides who may connect).
    private static func makeParentDirectory(of path: String, mode: mode_t = 0o750) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        var info = stat()
        if stat(directory, &info) == 0 { return }
        try makeParentDirectory(of: directory, mode: mode)
        // The umask would take from what `mode` gives.
        guard mkdir(directory, mode) == 0 && chmod(directory, mode) == 0 || errno == EEXIST else {
            throw SystemError("cannot create directory \(directory)")
        }
    }

    private static func shipper(_ configuration: Shipper.Configuration?, databasePath: String, visitorKey: VisitorKey,
                                pipeline: Pipeline, logger: Logger) throws -> Shipper? {
        guard let configuration else { return nil }
        let reader = try JournalReader(databasePath: databasePath, visitorKey: visitorKey)
        return Shipper(configuration: configuration, reader: reader, logger: logger,
                       committedGeneration: { [pipeline] in pipeline.committedGeneration })
    }

    static func engineConfiguration(_ settings: Settings) -> Engine.Configuration {
        Engine.Configuration(tierBounds: settings.tierBounds, ackOnCommit: settings.ackOnCommit,
                             maxPendingRows: settings.maxPendingRows)
    }

    // MARK: Timers

    /// Once a second on the ingest queue: sample the rate, refresh `STATUS=` (and say in the log when
    /// the shared store stops answering), and close connections
    /// past `idle_timeout` (or with an overdue control request). The watchdog is
    /// pinged from the same queue, so a wedged event loop stops the pings too; so does a flush path
    /// that has not succeeded for a whole watchdog timeout.
    private func startTicker() {
        keep { [self] in
            let ticker = DispatchSource.makeTimerSource(queue: ingest.queue)
            ticker.schedule(deadline: .now() + 1, repeating: 1)
            ticker.setEventHandler { [self] in
                let snapshot = metrics.update { (pipeline.snapshot(), stats.connections) }
                stats.sample(eventsAnswered: snapshot.totals.acceptedCount + snapshot.totals.duplicates
                    + snapshot.totals.rejectedCount)
                notifier?.status(statusLine(snapshot))
                shipper?.logUnanswered()
                ingest.closeIdleConnections()
                control.closeStalledConnections()
                // Many short connections leave their freed buffers in the heap, resident (a million
                // took the daemon from 41 to 600 MB): given back off the ingest queue.
                if stats.churned(atLeast: 1_000) { DispatchQueue.global(qos: .utility).async { MallocTrim.run() } }
            }
            return ticker
        }
        guard let notifier, let interval = notifier.watchdogInterval else { return }
        keep { [self] in
            let watchdog = DispatchSource.makeTimerSource(queue: ingest.queue)
            watchdog.schedule(deadline: .now(), repeating: interval.seconds)
            watchdog.setEventHandler { [self] in
                if flusher.sinceHealthy < interval * 2 {
                    notifier.watchdog()
                } else {
                    logger.warning("flush path unhealthy; withholding watchdog ping",
                                   metadata: ["last_flush_error": "\(flusher.lastReport?.error ?? "none")"])
                }
            }
            return watchdog
        }
    }

    /// Resumes a source made by `make` and keeps it for the life of the process. It is made inside
    /// the lock: dispatch sources are not `Sendable`, so they may not cross into it.
    private func keep(_ make: () -> any DispatchSourceProtocol) {
        state.withLock { state in
            let source = make()
            source.resume()
            state.sources.append(source)
        }
    }

    private func statusLine(_ snapshot: Pipeline.Snapshot) -> String {
        var line = "\(Int(stats.rate(overLast: 10))) events/s, \(snapshot.pendingEvents) pending"
        if let last = flusher.lastReport {
            let age = Int(Flusher.wallClock() - last.time)
            line += last.error.map { ", flush failing: \($0)" }
                ?? ", last flush \(age)s ago (\(last.rows) rows, \(Int(last.durationSeconds * 1000)) ms)"
        }
        if let shipper, let failure = shipper.failure {
            line += ", shared store failing: \(failure)"
        }
        return line
    }

    // MARK: Shutdown

    /// Why a shutdown ends the exports under way, and refuses those asked after it.
    static let shutdownCut = "the daemon is shutting down; export again once it is back"

    /// Stop accepting, flush, answer what is pending, exit 0 (1 if acknowledged data could not be
    /// committed).
    private func shutDown(signal: String) {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        logger.notice("\(signal): shutting down")
        notifier?.stopping()
        flusher.cancelSchedule()
        ingest.stopAccepting()
        control.stopAccepting()
        control.cutStreams(Self.shutdownCut)
        let report = flusher.drain(attempts: 50)
        // Pending answers go out (5 s at most), and so do the cut exports' queued rows and end
        // lines, to clients that take them (2 s at most).
        var waited = 0
        while (!ingest.isDrained || (waited < 200 && control.hasStreams)) && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        for socket in createdSockets { socket.remove() }
        let lost = pipeline.hasUncommitted
        if lost {
            logger.error("exiting with uncommitted events", metadata: ["error": "\(report?.error ?? "unknown")"])
        } else if pipeline.hasUnapplied {
            logger.warning("stopped; the journal holds batches the tables do not yet, applied at the next start",
                           metadata: ["error": "\(report?.error ?? "unknown")"])
        } else {
            logger.notice("stopped")
        }
        exit(lost ? 1 : 0)
    }
}
