/// What a reload (SIGHUP or `sharectl reload`) did.
public struct ReloadReport: Codable, Sendable, Equatable {
    public struct Change: Codable, Sendable, Equatable {
        public var key: String
        public var old: String
        public var new: String

        public init(key: String, old: String, new: String) {
            self.key = key
            self.old = old
            self.new = new
        }
    }

    /// Keys whose new value is in force.
    public var changed: [Change]
    /// Keys whose change waits for a restart; the running value is kept.
    public var needsRestart: [String]
    /// Why the new configuration was refused (the running one is kept).
    public var error: String?

    public init(changed: [Change], needsRestart: [String], error: String?) {
        self.changed = changed
        self.needsRestart = needsRestart
        self.error = error
    }
}

/// The answer to `metrics`: the Prometheus text exposition of the daemon's own metrics.
public struct MetricsText: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}
