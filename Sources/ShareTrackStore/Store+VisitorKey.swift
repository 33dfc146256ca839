import ShareTrackCore

extension Store {
    /// Records `key`'s fingerprint as the visitor key this database's hashes are made with (`meta`'s
    /// `visitor_key`, the fingerprint's 64 bits); returns the fingerprint recorded before when it
    /// was another key's (a backup restored without its `visitor.key`: every visitor stored before
    /// counts as new under this key, which the daemon says in its log).
    public func recordVisitorKey(_ key: VisitorKey) throws -> String? {
        try database.transaction {
            let recorded = try database.prepare("SELECT value FROM meta WHERE key = 'visitor_key'").rows { $0.int64(0) }.first
            guard recorded != key.fingerprintBits else { return nil }
            let record = try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('visitor_key', ?)")
            try record.bind([.integer(key.fingerprintBits)])
            try record.run()
            return recorded.map { String(UInt64(bitPattern: $0), radix: 16) }.map { String(repeating: "0", count: 16 - $0.count) + $0 }
        }
    }
}
