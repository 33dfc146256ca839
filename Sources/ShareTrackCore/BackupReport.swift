/// The answer to `backup`: the file written and what it holds.
///
/// In JSON: `{"path":"/var/backups/sharetrack.db","bytes":1048576,"generation":812,"seconds":0.4}`.
public struct BackupReport: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int64
    /// The last batch the backup holds: every line acknowledged before the backup began is in it.
    public var generation: UInt64
    public var seconds: Double

    public init(path: String, bytes: Int64, generation: UInt64, seconds: Double) {
        self.path = path
        self.bytes = bytes
        self.generation = generation
        self.seconds = seconds
    }
}
