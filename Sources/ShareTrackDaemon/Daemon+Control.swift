import Dispatch
import Glibc
import ShareTrackCore
import ShareTrackStore

/// The control socket's requests: permissions, then the answer (queries on their own queue).
extension Daemon {
    func answer(_ request: ControlRequest, on connection: ControlConnection) {
        do throws(ControlError) {
            if request.command.isPrivileged {
                guard let peer = connection.peer else {
                    throw ControlError(.permissionDenied, "cannot read the peer's credentials")
                }
                try OpsAccess.check(uid: peer.uid, gid: peer.gid, opsGroup: state.withLock { $0.settings.opsGroup })
            }
            switch request.command {
            case .status:
                connection.reply(ControlCodec.resultLine(status()))
            case .flush:
                flusher.flush { [self] report in
                    if let report, let error = report.error {
                        connection.reply(ControlCodec.errorLine(ControlError(.failed, "flush failed: \(error)")))
                    } else {
                        connection.reply(ControlCodec.resultLine(report ?? emptyFlushReport()))
                    }
                }
            case .reload:
                lifecycleQueue.async { [self] in connection.reply(ControlCodec.resultLine(reload())) }
            case .metrics:
                connection.reply(ControlCodec.resultLine(MetricsText(text: metricsText())))
            case .forget:
                try forget(request.forget, on: connection)
            case .resetSource:
                try resetSource(request.query?.id, by: connection.peer?.uid, on: connection)
            case .backup:
                try backup(to: request.query?.path, on: connection)
            case .export:
                // Asked once the shutdown has cut the exports: refused as they were cut.
                guard !state.withLock({ $0.stopping }) else { throw ControlError(.failed, Self.shutdownCut) }
                try exports.start(request, live: liveData(), on: connection)
            case .nodes:
                guard let shipper else { throw ControlError(.failed, "no shared store is configured (shared_store)") }
                connection.reply(ControlCodec.resultLine(try shipper.nodes()))
            case .top, .advocate, .share, .venues, .tiers, .networks, .trend, .sources:
                let accepted = queries.submit({ [self] queries in
                    let live = Queries.addsPendingRecords(request.command)
                        ? pipeline.live(after: queries.pendingSeen) : liveData()
                    do throws(ControlError) {
                        return ControlCodec.resultLine(try queries.answer(request, live: live, now: Int64(time(nil))))
                    } catch {
                        return ControlCodec.errorLine(error)
                    }
                }, then: connection.reply)
                guard accepted else {
                    throw ControlError(.busy, "\(QueryRunner.capacity) queries are running or waiting; retry later")
                }
            }
        } catch {
            connection.reply(ControlCodec.errorLine(error))
        }
    }

    /// The batches the tables may not hold yet, for an answer that reads their raw rows.
    private func liveData() -> LiveData {
        LiveData(batches: pipeline.snapshot().batches)
    }

    private func emptyFlushReport() -> FlushReport {
        FlushReport(time: Flusher.wallClock(), durationSeconds: 0, generation: pipeline.snapshot().committedGeneration,
                    events: 0, rows: 0, error: nil)
    }

    private func status() -> StatusReport {
        let settings = state.withLock { $0.settings }
        let snapshot = pipeline.snapshot()
        // The database is the main file and its write-ahead log.
        let size = [settings.database, settings.database + "-wal"].reduce(Int64(0)) { total, path in
            var info = stat()
            return total + (stat(path, &info) == 0 ? Int64(info.st_size) : 0)
        }
        var report = StatusReport(
            version: shareTrackVersion, pid: getpid(), uptimeSeconds: (ContinuousClock.now - started).seconds,
            configFile: settings.config, ack: settings.value(of: .ack), flushInterval: settings.flushInterval,
            database: .init(path: settings.database, sizeBytes: size), lastFlush: flusher.lastReport,
            pending: .init(events: snapshot.pendingEvents, keys: snapshot.pendingKeys),
            applying: .init(batches: snapshot.applying.batches, events: snapshot.applying.events),
            totals: .init(snapshot.totals),
            rate: .init(last10s: stats.rate(overLast: 10), last1m: stats.rate(overLast: 60)),
            connections: stats.connections, cachedTokens: snapshot.cachedTokens,
            sharedStore: shipper?.status(flushInterval: settings.flushInterval))
        report.configFileFound = settings.configFileFound
        report.visitorKey = visitorKey.fingerprint
        report.visitorRetention = flusher.retentionReport
        let building = flusher.rollupsBuilding
        report.rollupsBuilding = building.isEmpty ? nil : building
        return report
    }

    private func metricsText() -> String {
        metrics.update { (pipeline.snapshot(), stats.connections) }
        return metrics.exposition()
    }
}
