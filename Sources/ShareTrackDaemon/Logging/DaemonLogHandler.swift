import Logging

/// What the daemon's log handlers share: a level that follows the configured, reloadable
/// `log_level` (`DaemonLogging.level`) unless a `Logger` picks its own, and their metadata.
protocol DaemonLogHandler: LogHandler {
    /// Set only when a `Logger` picks its own level; otherwise the shared one applies.
    var ownLevel: Logger.Level? { get set }
}

extension DaemonLogHandler {
    var logLevel: Logger.Level {
        get { ownLevel ?? DaemonLogging.level }
        set { ownLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The handler's metadata, then the provider's, then the event's (later wins), plus `error`.
    func metadata(of event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        return merged
    }
}
