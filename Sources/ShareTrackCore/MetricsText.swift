/// The answer to `metrics`: the daemon's own metrics in the Prometheus text exposition format.
public struct MetricsText: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}
