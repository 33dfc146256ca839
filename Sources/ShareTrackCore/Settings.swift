/// The daemon's configuration: the contract's flat keys, resolved from the command line, the
/// environment, the config file and the built-in defaults, in that order of precedence.
public struct Settings: Sendable, Equatable {
    /// Every configuration key, spelled as in the file.
    public enum Key: String, Sendable, CaseIterable {
        case config
        case ingestSocket = "ingest_socket"
        case controlSocket = "control_socket"
        case database
        case flushInterval = "flush_interval"
        case ack
        case maxLineBytes = "max_line_bytes"
        case maxConnections = "max_connections"
        case maxPendingRows = "max_pending_rows"
        case socketMode = "socket_mode"
        case opsGroup = "ops_group"
        case tierBounds = "tier_bounds"
        case logLevel = "log_level"
        case visitorKeyFile = "visitor_key_file"
        case visitorRetention = "visitor_retention"
        case idleTimeout = "idle_timeout"
        case node
        case sharedStore = "shared_store"
        case sharedStorePasswordFile = "shared_store_password_file"

        /// `SHARETRACK_` + the key in upper case.
        public var environmentName: String { "SHARETRACK_" + rawValue.uppercased() }
        /// `--` + the key with `_` turned into `-`.
        public var flagName: String { "--" + rawValue.replacingUnderscores() }

        /// Keys a reload cannot change: the running daemon keeps the old value until restarted.
        public var needsRestart: Bool {
            [.config, .ingestSocket, .controlSocket, .database, .socketMode, .visitorKeyFile, .node, .sharedStore,
             .sharedStorePasswordFile].contains(self)
        }
    }

    public enum LogLevel: String, Sendable, CaseIterable {
        case debug, info, notice, warning, error
    }

    /// Where a value came from, for error messages and `status`.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        case flag, environment, file(String), defaultValue

        public var description: String {
            switch self {
            case .flag: "command line"
            case .environment: "environment"
            case .file(let path): path
            case .defaultValue: "default"
            }
        }
    }

    public static let defaultConfigFile = "/etc/sharetrack/sharetrackd.yaml"

    public var config = Settings.defaultConfigFile
    /// Whether the config file was there: the default one may be missing, and then only the
    /// defaults, the environment and the flags count.
    public var configFileFound = true
    public var ingestSocket = "/run/sharetrack/ingest.sock"
    public var controlSocket = "/run/sharetrack/control.sock"
    public var database = "/var/lib/sharetrack/sharetrack.db"
    /// Seconds between flushes.
    public var flushInterval = 1.0
    /// `ack: commit` (true) or `ack: receive` (false).
    public var ackOnCommit = true
    public var maxLineBytes = 65536
    public var maxConnections = 1024
    /// Rows held in memory until the tables have them before new events are `overloaded`
    /// (`Engine.Configuration.maxPendingRows`).
    public var maxPendingRows = Engine.Configuration.defaultMaxPendingRows
    public var socketMode: UInt32 = 0o660
    public var opsGroup: String?
    public var tierBounds = TierBounds.default
    public var logLevel = LogLevel.info
    /// The key file named in the configuration; nil: `visitor.key` next to the database.
    public var visitorKeyFileSetting: String?
    /// How long stored visitor hashes are kept; 0: for ever.
    public var visitorRetention = DurationSetting(seconds: 0)

    /// The file that holds the visitor key (`visitor_key_file`).
    public var visitorKeyFile: String {
        if let visitorKeyFileSetting { return visitorKeyFileSetting }
        guard let slash = database.lastIndex(of: "/") else { return "visitor.key" }
        return String(database[...slash]) + "visitor.key"
    }
    /// An ingest or control connection that sends nothing for this long is closed; 0: never.
    public var idleTimeout = DurationSetting(seconds: 300)
    /// This daemon's name in a shared store; nil: the host name.
    public var node: String?
    /// A PostgreSQL connection string (URI or conninfo); nil: no shared store.
    public var sharedStore: String?
    public var sharedStorePasswordFile: String?

    public init() {}

    /// Resolves every key from its layers, highest precedence first.
    ///
    /// - Parameter layers: raw values with their origin, e.g. `[(.flag, flags), (.environment, env),
    ///   (.file(path), file)]`; a key missing from all of them keeps its default.
    public init(layers: [(Origin, [Key: String])]) throws(SettingsError) {
        var controlSocketOrigin = Origin.defaultValue
        for key in Key.allCases {
            guard let (origin, raw) = layers.lazy.compactMap({ layer in layer.1[key].map { (layer.0, $0) } }).first
            else { continue }
            try set(key, raw, origin: origin)
            if key == .controlSocket { controlSocketOrigin = origin }
        }
        guard ingestSocket != controlSocket else {
            throw SettingsError(key: .controlSocket, value: controlSocket, origin: controlSocketOrigin,
                                expected: "a path other than ingest_socket's")
        }
    }

    /// The value of `key` as text, as a config file would spell it.
    public func value(of key: Key) -> String {
        switch key {
        case .config: config
        case .ingestSocket: ingestSocket
        case .controlSocket: controlSocket
        case .database: database
        case .flushInterval: flushInterval.formatted
        case .ack: ackOnCommit ? "commit" : "receive"
        case .maxLineBytes: String(maxLineBytes)
        case .maxConnections: String(maxConnections)
        case .maxPendingRows: String(maxPendingRows)
        case .socketMode: "0" + String(socketMode, radix: 8)
        case .opsGroup: opsGroup ?? ""
        case .tierBounds: tierBounds.description
        case .logLevel: logLevel.rawValue
        case .visitorKeyFile: visitorKeyFile
        case .visitorRetention: visitorRetention.description
        case .idleTimeout: idleTimeout.description
        case .node: node ?? ""
        case .sharedStore: sharedStore ?? ""
        case .sharedStorePasswordFile: sharedStorePasswordFile ?? ""
        }
    }

    private mutating func set(_ key: Key, _ raw: String, origin: Origin) throws(SettingsError) {
        func invalid(_ expected: String) -> SettingsError {
            SettingsError(key: key, value: raw, origin: origin, expected: expected)
        }
        let text = raw.trimmed
        switch key {
        case .config, .ingestSocket, .controlSocket, .database:
            guard !text.isEmpty else { throw invalid("a file path") }
            switch key {
            case .config: config = text
            case .ingestSocket: ingestSocket = text
            case .controlSocket: controlSocket = text
            default: database = text
            }
        case .flushInterval:
            // Under a millisecond the flush timer would keep a core busy with nothing to do.
            guard let seconds = Double(plainDecimal: text), seconds >= 0.001, seconds <= 3600 else {
                throw invalid("a number of seconds from 0.001 to 3600, fractions allowed")
            }
            flushInterval = seconds
        case .ack:
            guard text == "commit" || text == "receive" else { throw invalid("commit or receive") }
            ackOnCommit = text == "commit"
        case .maxLineBytes:
            guard let bytes = Int(text), (1...16_777_216).contains(bytes) else {
                throw invalid("a whole number of bytes from 1 to 16777216")
            }
            maxLineBytes = bytes
        case .maxConnections:
            guard let count = Int(text), (1...65536).contains(count) else {
                throw invalid("a whole number from 1 to 65536")
            }
            maxConnections = count
        case .maxPendingRows:
            guard let rows = Int(text), (1000...100_000_000).contains(rows) else {
                throw invalid("a whole number of rows from 1000 to 100000000")
            }
            maxPendingRows = rows
        case .socketMode:
            guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
                throw invalid("an octal file mode such as 0660")
            }
            socketMode = mode
        case .opsGroup:
            opsGroup = text.isEmpty ? nil : text
        case .tierBounds:
            guard let bounds = TierBounds(parsing: text) else {
                throw invalid("four increasing follower counts, e.g. 999,5000,100000,1000000")
            }
            tierBounds = bounds
        case .logLevel:
            guard let level = LogLevel(rawValue: text) else {
                throw invalid(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            logLevel = level
        case .visitorKeyFile:
            guard !text.isEmpty else { throw invalid("a file path") }
            visitorKeyFileSetting = text
        case .visitorRetention:
            guard let duration = DurationSetting(parsing: text) else {
                throw invalid("a duration up to 100 years: seconds, or a number followed by s, m, h or d (90d); 0 keeps for ever")
            }
            visitorRetention = duration
        case .idleTimeout:
            guard let duration = DurationSetting(parsing: text) else {
                throw invalid("a duration up to 100 years: seconds, or a number followed by s, m, h or d (0: never)")
            }
            idleTimeout = duration
        case .node:
            guard Self.isNodeName(text) else { throw invalid("1-64 characters of A-Z a-z 0-9 . _ -") }
            node = text
        case .sharedStore:
            sharedStore = text.isEmpty ? nil : text
        case .sharedStorePasswordFile:
            sharedStorePasswordFile = text.isEmpty ? nil : text
        }
    }

    /// 1-64 characters of `A-Z a-z 0-9 . _ -`.
    public static func isNodeName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

/// A configuration value that cannot be used; names the key, the value and where it came from.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: Settings.Key
    public var value: String
    public var origin: Settings.Origin
    public var expected: String

    public var description: String {
        "invalid value '\(value)' for \(key.rawValue) (from \(origin)): expected \(expected)"
    }
}

extension String {
    fileprivate var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}

extension Double {
    fileprivate var formatted: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}

extension Settings {
    /// Takes `key`'s value from `other` (a reload keeps the running value of a restart-only key).
    public mutating func restore(_ key: Key, from other: Settings) {
        switch key {
        case .config: config = other.config
        case .ingestSocket: ingestSocket = other.ingestSocket
        case .controlSocket: controlSocket = other.controlSocket
        case .database: database = other.database
        case .socketMode: socketMode = other.socketMode
        case .visitorKeyFile: visitorKeyFileSetting = other.visitorKeyFileSetting
        case .node: node = other.node
        case .sharedStore: sharedStore = other.sharedStore
        case .sharedStorePasswordFile: sharedStorePasswordFile = other.sharedStorePasswordFile
        default: break
        }
    }
}
