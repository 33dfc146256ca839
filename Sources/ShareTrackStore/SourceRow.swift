/// One producer (kiosk or redirector instance), as `sources` lists it.
///
/// In JSON: `{"source":"kiosk-7","last_seen":"2026-11-27T20:15:00Z","last_seq":1234,"accepted":1200,
/// "rejected":2,"duplicates":32,"test":3,"silent":false,"silent_for":12}`.
public struct SourceRow: Codable, Sendable, Equatable {
    public var source: String
    /// The node the producer feeds: in a shared store's answer only (absent from the JSON otherwise).
    public var node: String?
    /// Receive time of its last line, RFC 3339 UTC.
    public var lastSeen: String
    /// The highest sequence number answered.
    public var lastSeq: UInt64
    public var accepted: Int64
    public var rejected: Int64
    public var duplicates: Int64
    /// Test events (`"test": true`).
    public var test: Int64
    /// Silent for longer than the query's threshold.
    public var silent: Bool
    /// Seconds since its last line.
    public var silentFor: Int64

    public init(source: String, lastSeen: String, lastSeq: UInt64, accepted: Int64, rejected: Int64,
                duplicates: Int64, test: Int64, silent: Bool, silentFor: Int64) {
        self.source = source
        self.lastSeen = lastSeen
        self.lastSeq = lastSeq
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
        self.test = test
        self.silent = silent
        self.silentFor = silentFor
    }
}
