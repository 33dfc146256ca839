/// One validated ingest event: a share, or a click or conversion on a share.
public struct Event: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Boxed: a share's attributes are 70 bytes, which every click and conversion would carry
        /// (and copy from the parser to the engine) for nothing.
        indirect case share(ShareAttributes)
        /// `visitor`: the visitor id's keyed hash (`VisitorKey`); the id itself is never kept.
        case click(visitor: UInt64?, bot: Bool)
        case conversion(visitor: UInt64?, value: Money)
    }

    /// The share token the event names (the id inside the tracking link).
    public var token: String
    public var kind: Kind
    /// The producer and its sequence number, for exactly-once delivery.
    public var origin: Origin?
    /// Event time in seconds since the Unix epoch; `nil` means "time received".
    public var time: Int64?
    /// `"test": true`: validated and answered, but counted only as a test.
    public var test: Bool

    public init(token: String, kind: Kind, origin: Origin? = nil, time: Int64? = nil, test: Bool = false) {
        self.token = token
        self.kind = kind
        self.origin = origin
        self.time = time
        self.test = test
    }
}

/// Who shared, where, and to how large an audience.
public struct ShareAttributes: Sendable, Equatable, Hashable {
    public var advocate: String
    public var venue: String
    public var campaign: String?
    public var network: String
    public var followers: Int

    public init(advocate: String, venue: String, campaign: String?, network: String, followers: Int) {
        self.advocate = advocate
        self.venue = venue
        self.campaign = campaign
        self.network = network
        self.followers = followers
    }
}

/// A producer (kiosk or redirector instance) and the sequence number it gave a line.
public struct Origin: Sendable, Equatable {
    public var source: String
    public var seq: UInt64

    public init(source: String, seq: UInt64) {
        self.source = source
        self.seq = seq
    }
}
