import Glibc
import ShareTrackCore
import ShareTrackShared

extension Shipper.Configuration {
    /// The shared store's settings, or nil when `shared_store` is not set. The node defaults to the
    /// host name; the password file is read now (a missing one stops the start, naming the key), and
    /// again at each connection, so that a password changed in it is used from the next one on.
    /// The store checks `visitorKey`'s fingerprint against the one it was started with.
    static func from(_ settings: Settings, databaseID: Int64,
                     visitorKey: VisitorKey) throws(SettingsLoader.Failure) -> Self? {
        try check(settings)
        guard let conninfo = settings.sharedStore else { return nil }
        let node: String
        if let named = settings.node { node = named } else { node = try hostName() }
        _ = try password(settings)
        return Self(conninfo: conninfo, passwordFile: settings.sharedStorePasswordFile, node: node, databaseID: databaseID,
                    keyFingerprint: visitorKey.fingerprint, keyFile: settings.visitorKeyFile)
    }

    /// Refuses a `shared_store` that libpq cannot read: at start, and on reload (where it would
    /// take effect only at the next start, which would then fail).
    static func check(_ settings: Settings) throws(SettingsLoader.Failure) {
        if let conninfo = settings.sharedStore, let problem = PostgresConnection.parseError(conninfo) {
            throw SettingsLoader.Failure(description: "invalid value for shared_store: \(problem)")
        }
    }

    /// The password in `shared_store_password_file`, read now, if a shared store is set and the
    /// file named (a start and a reload refuse one they cannot read).
    static func password(_ settings: Settings) throws(SettingsLoader.Failure) -> String? {
        guard settings.sharedStore != nil, let path = settings.sharedStorePasswordFile else { return nil }
        return try password(in: path)
    }

    /// The password in the file now, for a connection; a file that cannot be read fails the
    /// connection as the store's absence would (shipping `failing`, retried with backoff).
    func currentPassword() throws(PostgresError) -> String? {
        guard let passwordFile else { return nil }
        do {
            return try Self.password(in: passwordFile)
        } catch {
            throw PostgresError(sqlState: nil, message: error.description)
        }
    }

    private static func password(in path: String) throws(SettingsLoader.Failure) -> String {
        guard let text = SettingsLoader.readText(path) else {
            throw SettingsLoader.Failure(
                description: "shared_store_password_file \(path): \(String(cString: strerror(errno)))")
        }
        // A trailing newline is the file's, not the password's.
        return String(text.reversed().drop(while: \.isNewline).reversed())
    }

    /// The host name, as a node name (one that is not a valid node name must be set as `node`).
    private static func hostName() throws(SettingsLoader.Failure) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let name = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        guard Settings.isNodeName(name) else {
            throw SettingsLoader.Failure(description: "node: the host name '\(name)' is not a valid node name; set node")
        }
        return name
    }
}
