/// Why the store cannot be used, in words for the operator.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case schemaTooNew(found: Int64, known: Int64, path: String)
    /// A reader (`sharectl --db`) of a database no daemon of this version has migrated yet.
    case schemaTooOld(found: Int64, known: Int64, path: String)
    case cannotOpen(path: String, reason: String)
    case notInitialized(path: String)
    /// `sharectl backup` could not write its file.
    case cannotWriteBackup(path: String, reason: String)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let known, let path):
            "database \(path) has schema version \(found), newer than this ShareTrack knows (\(known)); "
                + "upgrade ShareTrack or use another database"
        case .schemaTooOld(let found, let known, let path):
            "database \(path) has schema version \(found), older than this ShareTrack's (\(known)); "
                + "start this version's sharetrackd on it once to migrate it"
        case .cannotOpen(let path, let reason):
            "cannot open database \(path): \(reason)"
        case .notInitialized(let path):
            "database \(path) has no ShareTrack schema (start sharetrackd once to create it)"
        case .cannotWriteBackup(let path, let reason):
            "cannot write the backup \(path): \(reason)"
        }
    }
}
