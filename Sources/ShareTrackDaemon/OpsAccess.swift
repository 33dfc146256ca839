import Glibc
import Logging
import ShareTrackCore

/// Who may run the control commands that change state (`flush`, `reload`): root, and members of
/// `ops_group` (by primary or supplementary group).
enum OpsAccess {
    static func check(uid: uid_t, gid: gid_t, opsGroup: String?) throws(ControlError) {
        if uid == 0 { return }
        guard let opsGroup else {
            throw ControlError(.permissionDenied, "only root may do this (no ops_group is configured)")
        }
        guard let group = getgrnam(opsGroup) else {
            throw ControlError(.permissionDenied, "only root may do this (ops_group '\(opsGroup)' does not exist)")
        }
        let opsGID = group.pointee.gr_gid
        if gid == opsGID || groups(of: uid).contains(opsGID) { return }
        throw ControlError(.permissionDenied,
                           "permission denied: uid \(uid) is not root and not in ops_group '\(opsGroup)'")
    }

    /// Says in the log when `opsGroup` names no group on this host (at start and on reload): only
    /// root may then run the changing commands, which would otherwise show only when one is refused.
    static func warnIfMissing(_ opsGroup: String?, logger: Logger) {
        guard let opsGroup, getgrnam(opsGroup) == nil else { return }
        logger.warning("ops_group names no group on this host; only root may run changing commands",
                       metadata: ["ops_group": "\(opsGroup)"])
    }

    /// Every group `uid` belongs to, from the user and group databases.
    private static func groups(of uid: uid_t) -> [gid_t] {
        guard let user = getpwuid(uid) else { return [] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user.pointee.pw_name, user.pointee.pw_gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user.pointee.pw_name, user.pointee.pw_gid, &groups, &count)
        }
        return Array(groups.prefix(Int(count)))
    }
}
