import Glibc

/// Where `export` and `report` write: stdout, or a file made whole: written to a temporary file
/// beside it and renamed over it by `commit()`, so a failure leaves no half-written file behind.
final class OutputFile {
    private let path: String?
    private let temporary: String?
    private let fd: Int32
    private var committed = false

    /// Opens the output; an unwritable place fails here, before any work is done.
    init(path: String?) throws(Failure) {
        self.path = path
        guard let path else {
            temporary = nil
            fd = STDOUT_FILENO
            return
        }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let base = String(path[(path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)...])
        var template = Array((directory + "." + base + ".XXXXXX").utf8CString)
        let opened = mkstemp(&template)
        guard opened >= 0 else { throw Self.failure(path) }
        fd = opened
        temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // mkstemp makes the file 0600; give it the mode a new file would get.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
    }

    deinit {
        guard let temporary else { return }
        close(fd)
        if !committed { unlink(temporary) }
    }

    func write(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path ?? "stdout")
            }
            offset += written
        }
    }

    /// Puts the file in place (nothing to do for stdout).
    func commit() throws(Failure) {
        guard let path, let temporary else { return }
        guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw Self.failure(path) }
        committed = true
    }

    private static func failure(_ path: String) -> Failure {
        Failure("cannot write \(path): \(String(cString: strerror(errno)))", exitCode: 73)
    }
}
