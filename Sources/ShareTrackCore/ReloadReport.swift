/// What a reload (`sharectl reload`, SIGHUP) did: the values it changed, the keys whose new value
/// waits for a restart, or why it kept the running configuration.
public struct ReloadReport: Codable, Sendable, Equatable {
    /// One configuration key whose value the reload changed.
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

    public var changed: [Change]
    /// Keys whose change waits for a restart; the running daemon keeps their old value.
    public var needsRestart: [String]
    /// Why the new configuration was refused (the running one is kept); `nil` when it was applied.
    public var error: String?

    public init(changed: [Change], needsRestart: [String], error: String?) {
        self.changed = changed
        self.needsRestart = needsRestart
        self.error = error
    }
}
