import Dispatch
import Glibc
import Logging
import ShareTrackCore
import ShareTrackStore

/// The changing control commands that maintain the data (`reset-source`, `backup`), and what the
/// daemon does when its database is removed or replaced under it.
extension Daemon {
    /// What the daemon does when its database's files were removed or replaced under it: refuse
    /// every new line (nothing may be acknowledged), say why in `STATUS=` (`status` shows the failed
    /// flush), and exit 1 a moment later, leaving the unacknowledged lines to be sent again. The
    /// exit runs on `lifecycle`, so never during a shutdown that a signal started.
    static func halt(pipeline: Pipeline, notifier: SystemdNotifier?, logger: Logger, sockets: [SocketFile],
                     lifecycle: DispatchQueue) -> @Sendable (String) -> Void {
        { reason in
            pipeline.halt(reason)
            notifier?.status("FAILED: \(reason)")
            lifecycle.asyncAfter(deadline: .now() + 2) {
                logger.critical("exiting: \(reason)")
                for socket in sockets { socket.remove() }
                exit(1)
            }
        }
    }

    /// Forgets the highest seq of `source` (a reinstalled kiosk starting again at 1), logs it at
    /// notice, and answers once the change is committed.
    func resetSource(_ source: String?, by uid: uid_t?, on connection: ControlConnection) throws(ControlError) {
        guard let source, !source.isEmpty else { throw ControlError(.badRequest, "missing id: the source to reset") }
        let forgotten: UInt64?
        do {
            forgotten = try pipeline.resetSource(source)
        } catch {
            throw ControlError(.failed, "cannot read source '\(source)' from the database: \(error)")
        }
        guard let forgotten else { throw ControlError(.notFound, "no source '\(source)': it never sent a line") }
        logger.notice("source reset: its seq starts again at 1", metadata: [
            "source": "\(source)", "forgotten_seq": "\(forgotten)", "by_uid": "\(uid.map { "\($0)" } ?? "unknown")",
        ])
        flusher.flush { report in
            if let error = report?.error {
                connection.reply(ControlCodec.errorLine(ControlError(
                    .failed, "source reset in memory, but the flush failed (it is retried): \(error)")))
            } else {
                connection.reply(ControlCodec.resultLine(SourceReset(source: source, forgottenSeq: forgotten)))
            }
        }
    }

    /// Writes a backup of everything acknowledged so far to `path` (absolute, not existing yet).
    func backup(to path: String?, on connection: ControlConnection) throws(ControlError) {
        guard let path, path.hasPrefix("/") else {
            throw ControlError(.badRequest, "backup needs the absolute path of the file to write")
        }
        guard access(path, F_OK) != 0 else {
            throw ControlError(.badRequest, "\(path) exists already; a backup never replaces a file")
        }
        // Left by a database once at that path: read with the backup, they would make it another one.
        if let stale = DatabaseFiles.companions(of: path).first {
            throw ControlError(.badRequest, "\(stale) exists (left by a database once at \(path)), and it would be read "
                               + "with the backup as part of it: remove it, or choose another path")
        }
        flusher.backup(to: path, visitorKey: visitorKey) { [logger] result in
            switch result {
            case .success(let report):
                logger.notice("backup written", metadata: ["path": "\(path)", "generation": "\(report.generation)"])
                connection.reply(ControlCodec.resultLine(report))
            case .failure(let error):
                logger.error("backup failed", metadata: ["path": "\(path)", "error": "\(error)"])
                connection.reply(ControlCodec.errorLine(error))
            }
        }
    }
}
