import Logging
import ShareTrackCore

/// Reloading the configuration: SIGHUP and `sharectl reload`.
extension Daemon {
    /// Re-reads the configuration (SIGHUP, `sharectl reload`); a bad one is refused and the running
    /// configuration kept. So is one the next start would refuse, though its key takes effect only
    /// then: a connection string libpq cannot read, a key or password file that cannot be used.
    func reload() -> ReloadReport {
        notifier?.reloading()
        defer { notifier?.ready() }
        let next: Settings
        do {
            next = try SettingsLoader.load(flags: flags, environment: ProcessEnvironment.current)
            try Shipper.Configuration.check(next)
            _ = try Shipper.Configuration.password(next)
            try VisitorKeyFile.check(next.visitorKeyFile, mayCreate: next.visitorKeyFileSetting == nil)
        } catch {
            logger.error("reload refused; keeping the running configuration", metadata: ["error": "\(error)"])
            return ReloadReport(changed: [], needsRestart: [], error: error.description)
        }
        let current = state.withLock { $0.settings }
        var applied = next
        var report = ReloadReport(changed: [], needsRestart: [], error: nil)
        for key in Settings.Key.allCases where current.value(of: key) != next.value(of: key) {
            if key.needsRestart {
                report.needsRestart.append(key.rawValue)
                applied.restore(key, from: current)
            } else {
                report.changed.append(.init(key: key.rawValue, old: current.value(of: key), new: next.value(of: key)))
            }
        }
        state.withLock { $0.settings = applied }
        apply(applied, changedFrom: current)
        OpsAccess.warnIfMissing(applied.opsGroup, logger: logger)
        logger.notice("configuration reloaded", metadata: [
            "changed": "\(report.changed.map(\.key).joined(separator: ","))",
            "needs_restart": "\(report.needsRestart.joined(separator: ","))",
        ])
        return report
    }

    private func apply(_ settings: Settings, changedFrom old: Settings) {
        if settings.flushInterval != old.flushInterval { flusher.schedule(every: settings.flushInterval) }
        if settings.visitorRetention != old.visitorRetention {
            flusher.scheduleRetention(seconds: settings.visitorRetention.seconds)
            shipper?.setRetention(seconds: settings.visitorRetention.seconds)
        }
        pipeline.reconfigure(Self.engineConfiguration(settings))
        ingest.apply(settings)
        control.setIdleTimeout(settings.idleTimeout.seconds)
        DaemonLogging.setLevel(DaemonLogging.level(named: settings.logLevel.rawValue) ?? .info)
    }
}
