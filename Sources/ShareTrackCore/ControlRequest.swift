/// One request on the control socket: a JSON object on one line, answered by one `ControlResponse`
/// line. See docs/control-protocol.md.
public struct ControlRequest: Codable, Sendable, Equatable {
    public enum Command: String, Codable, Sendable, CaseIterable {
        case status, top, advocate, share, venues, tiers, sources, flush, reload, metrics, forget, backup, nodes
        case resetSource = "reset-source"
        /// For `sharectl report`: per-network totals, and per-hour totals (the trend).
        case networks, trend
        /// The fact table, streamed (see docs/control-protocol.md).
        case export

        /// Commands that change the daemon's state or write files: root and `ops_group` only.
        public var isPrivileged: Bool { [.flush, .reload, .forget, .backup, .resetSource].contains(self) }
    }

    public var command: Command
    public var query: Query?
    /// `forget`: whom.
    public var forget: ForgetTarget?

    public init(command: Command, query: Query? = nil, forget: ForgetTarget? = nil) {
        self.command = command
        self.query = query
        self.forget = forget
    }
}

extension ControlRequest {
    /// This request with its ids in NFC, as ingest stores them (`CanonicalText`): the query's id
    /// and filter, `forget`'s advocate. (Share tokens and networks are ASCII; a visitor id is
    /// hashed as sent, at ingest and by `forget` alike.)
    public var canonical: ControlRequest {
        var request = self
        request.query?.id = query?.id.map(CanonicalText.nfc)
        request.query?.filter = query?.filter.canonical ?? QueryFilter()
        request.forget?.advocate = forget?.advocate.map(CanonicalText.nfc)
        return request
    }
}

extension QueryFilter {
    /// This filter with its ids in NFC (`CanonicalText`).
    public var canonical: QueryFilter {
        var filter = self
        for path in [\QueryFilter.advocate, \.venue, \.campaign, \.network] {
            filter[keyPath: path] = self[keyPath: path].map(CanonicalText.nfc)
        }
        return filter
    }
}

/// Whom `forget` erases: exactly one of a visitor id and an advocate id.
public struct ForgetTarget: Codable, Sendable, Equatable {
    public var visitor: String?
    public var advocate: String?

    public init(visitor: String? = nil, advocate: String? = nil) {
        self.visitor = visitor
        self.advocate = advocate
    }
}

/// The arguments of a query command.
public struct Query: Codable, Sendable, Equatable {
    /// The advocate id (`advocate`), share token (`share`) or producer (`reset-source`).
    public var id: String?
    /// Ranking for `top`: clicks, unique_clicks, shares, reach, engagement, conversions, value.
    public var by: String?
    public var limit: Int?
    public var filter: QueryFilter
    /// `sources`: flag producers silent for longer than this many seconds.
    public var silentAfter: Int64?
    /// `backup`: the absolute path of the file to write.
    public var path: String?
    /// `export`: `csv` (default) or `ndjson`.
    public var format: String?

    public init(id: String? = nil, by: String? = nil, limit: Int? = nil, filter: QueryFilter = QueryFilter(),
                silentAfter: Int64? = nil, path: String? = nil, format: String? = nil) {
        self.id = id
        self.by = by
        self.limit = limit
        self.filter = filter
        self.silentAfter = silentAfter
        self.path = path
        self.format = format
    }
}

/// Which shares and hours a query counts. Times are seconds since the epoch; the range is
/// `[since, until)` after `since` is rounded down and `until` up to whole hours.
public struct QueryFilter: Codable, Sendable, Hashable {
    public var advocate: String?
    public var venue: String?
    public var campaign: String?
    public var network: String?
    public var tier: Tier?
    public var since: Int64?
    public var until: Int64?

    public init(advocate: String? = nil, venue: String? = nil, campaign: String? = nil, network: String? = nil,
                tier: Tier? = nil, since: Int64? = nil, until: Int64? = nil) {
        self.advocate = advocate
        self.venue = venue
        self.campaign = campaign
        self.network = network
        self.tier = tier
        self.since = since
        self.until = until
    }

    /// The times a filter may name: from 0001-01-01 to 9999-12-31T23:59:59Z (what RFC 3339 can
    /// write), so that rounding them to hours cannot overflow.
    public static let timeRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// The first hour bucket in range.
    public var sinceHour: Int64? { since?.hourBucket }
    /// The first hour bucket past the range.
    public var untilHour: Int64? {
        until.map { until in until.hourBucket * 3600 == until ? until.hourBucket : until.hourBucket + 1 }
    }

    /// Whether the filter names a range of hours (`since`, `until` or both), rather than all time.
    public var isRanged: Bool { since != nil || until != nil }

    /// The same filter over all time: its attributes without its range.
    public var allTime: QueryFilter {
        var allTime = self
        allTime.since = nil
        allTime.until = nil
        return allTime
    }

    /// Refuses times outside `timeRange`, and an empty range.
    public func checkRange() throws(ControlError) {
        for (name, time) in [("since", since), ("until", until)] {
            if let time, !Self.timeRange.contains(time) {
                throw ControlError(.badRequest, "\(name) must be from \(Self.timeRange.lowerBound) to "
                                   + "\(Self.timeRange.upperBound) seconds since the epoch (years 1 to 9999), not \(time)")
            }
        }
        if let since = sinceHour, let until = untilHour, since >= until {
            throw ControlError(.badRequest, "empty time range: since must be before until")
        }
    }
}

/// The error answer of the control socket.
public struct ControlError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Codable, Sendable {
        case badRequest = "bad_request"
        /// Not one JSON object, or an object with a repeated member name.
        case badJSON = "bad_json"
        case permissionDenied = "permission_denied"
        case notFound = "not_found"
        /// The daemon is answering as many requests or connections as it may; retry later.
        case busy
        case failed
    }

    public var error: Code
    public var message: String

    public init(_ error: Code, _ message: String) {
        self.error = error
        self.message = message
    }

    public var description: String { message }
}

extension KeyedDecodingContainer {
    /// `query.filter` is optional: absent, it is no filter. (The synthesized `Query.init(from:)`
    /// picks this overload, so every other member keeps its synthesized decoding.)
    func decode(_ type: QueryFilter.Type, forKey key: Key) throws -> QueryFilter {
        try decodeIfPresent(type, forKey: key) ?? QueryFilter()
    }
}
