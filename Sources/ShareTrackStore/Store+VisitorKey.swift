import ShareTrackCore

extension Store {
    /// The fingerprint of the visitor key this database's hashes were made with (`meta`'s
    /// `visitor_key`, the fingerprint's 64 bits), when it is not `key`'s; nil when it is, or when
    /// the database had none recorded (a new one, or one older than the record), which then
    /// records `key`'s. A daemon started with another key would count every stored visitor as new
    /// (a backup restored without its `visitor.key`): it refuses to start instead.
    public func otherVisitorKey(than key: VisitorKey) throws -> String? {
        guard let fingerprint = UInt64(key.fingerprint, radix: 16) else { return nil }
        return try database.transaction {
            let recorded = try database.prepare("SELECT value FROM meta WHERE key = 'visitor_key'").rows {
                UInt64(bitPattern: $0.int64(0))
            }.first
            guard let recorded else {
                let record = try database.prepare("INSERT INTO meta (key, value) VALUES ('visitor_key', ?)")
                try record.bind([.integer(Int64(bitPattern: fingerprint))])
                try record.run()
                return nil
            }
            let hex = String(recorded, radix: 16)
            return recorded == fingerprint ? nil : String(repeating: "0", count: 16 - hex.count) + hex
        }
    }
}
