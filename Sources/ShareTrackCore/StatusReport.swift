/// What `sharectl status` shows: the daemon's health at a glance.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct Database: Codable, Sendable, Equatable {
        public var path: String
        public var sizeBytes: Int64
        public init(path: String, sizeBytes: Int64) {
            self.path = path
            self.sizeBytes = sizeBytes
        }
    }

    public struct Pending: Codable, Sendable, Equatable {
        /// Lines acknowledged or waiting for a commit, not yet in the database.
        public var events: Int
        /// Counter rows not yet in the database.
        public var keys: Int
        public init(events: Int, keys: Int) {
            self.events = events
            self.keys = keys
        }
    }

    /// Batches committed to the journal (durable, answered) that the database's tables do not hold
    /// yet: how far applying them lags.
    public struct Applying: Codable, Sendable, Equatable {
        public var batches: Int
        public var events: Int
        public init(batches: Int, events: Int) {
            self.batches = batches
            self.events = events
        }
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var accepted: Int64
        public var acceptedByType: [String: Int64]
        public var rejected: Int64
        public var rejectedByCode: [String: Int64]
        public var duplicates: Int64
        public var orphans: Int64
        /// Test events (`"test": true`).
        public var test: Int64
        public init(_ totals: IngestTotals) {
            accepted = totals.acceptedCount
            acceptedByType = Dictionary(uniqueKeysWithValues: totals.accepted.map { ($0.key.rawValue, $0.value) })
            rejected = totals.rejectedCount
            rejectedByCode = Dictionary(uniqueKeysWithValues: totals.rejected.map { ($0.key.rawValue, $0.value) })
            duplicates = totals.duplicates
            orphans = totals.orphans
            test = totals.test
        }
    }

    public struct Rate: Codable, Sendable, Equatable {
        /// Events answered per second.
        public var last10s: Double
        public var last1m: Double
        public init(last10s: Double, last1m: Double) {
            self.last10s = last10s
            self.last1m = last1m
        }
    }

    public struct Connections: Codable, Sendable, Equatable {
        public var open = 0
        public var total = 0
        public var refused = 0
        public init() {}
    }

    public var version: String
    public var pid: Int32
    public var uptimeSeconds: Double
    public var configFile: String
    /// Whether the config file was there (`Settings.configFileFound`).
    public var configFileFound: Bool?
    public var ack: String
    public var flushInterval: Double
    public var database: Database
    /// `null` until the first flush.
    @NullWhenAbsent public var lastFlush: FlushReport?
    public var pending: Pending
    public var applying: Applying
    public var totals: Totals
    public var rate: Rate
    public var connections: Connections
    public var cachedTokens: Int
    /// The visitor key's fingerprint (`VisitorKey.fingerprint`).
    public var visitorKey: String?
    /// `visitor_retention`: the setting and its last run.
    public var visitorRetention: RetentionReport?
    /// With a shared store: its shipping state (`status`'s `shared_store`).
    public var sharedStore: SharedStoreStatus?
    /// The tables of the rollups still being built in the background for a database of an older
    /// version, in the order they will be done (absent once none is): until then every answer is
    /// exact, and some take slower paths.
    public var rollupsBuilding: [String]?

    public init(version: String, pid: Int32, uptimeSeconds: Double, configFile: String, ack: String,
                flushInterval: Double, database: Database, lastFlush: FlushReport?, pending: Pending,
                applying: Applying, totals: Totals, rate: Rate, connections: Connections, cachedTokens: Int,
                sharedStore: SharedStoreStatus? = nil) {
        self.version = version
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.configFile = configFile
        self.ack = ack
        self.flushInterval = flushInterval
        self.database = database
        self.lastFlush = lastFlush
        self.pending = pending
        self.applying = applying
        self.totals = totals
        self.rate = rate
        self.connections = connections
        self.cachedTokens = cachedTokens
        self.sharedStore = sharedStore
    }
}

/// The version `sharetrackd` and `sharectl` report.
public let shareTrackVersion = "0.1.0"
