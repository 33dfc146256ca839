import Glibc

/// Whether a client took bytes from a socket's send queue since the last look (`TIOCOUTQ`). The
/// daemon writes more only once most of a full queue has gone, so its own writes alone do not show
/// a client that still reads, slowly: this does.
struct SendQueueProgress {
    private var unsentAtLastLook: Int32 = 0

    /// Whether the send queue of `fd` shrank since the last call.
    mutating func shrank(_ fd: Int32) -> Bool {
        var unsent: Int32 = 0
        guard ioctl(fd, UInt(TIOCOUTQ), &unsent) == 0 else { return false }
        defer { unsentAtLastLook = unsent }
        return unsent < unsentAtLastLook
    }
}
