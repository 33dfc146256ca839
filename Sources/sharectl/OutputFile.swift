import Glibc
import Synchronization

/// The temporary file an `OutputFile` is writing, for a signal to remove: the address of its path
/// (0: none) in an atomic, which a signal handler may read.
private let temporaryBeingWritten = Atomic<Int>(0)

/// SIGINT, SIGTERM or SIGHUP while a file is being written (Ctrl-C on a long export): its
/// temporary file is removed, then the signal does what it would have done.
private let removeTemporaryThenStop: @convention(c) (Int32) -> Void = { signal in
    if let path = UnsafeMutablePointer<CChar>(bitPattern: temporaryBeingWritten.load(ordering: .relaxed)) { unlink(path) }
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}

/// Where `export` and `report` write: stdout (no path, or `-`), or a file made whole: written to a
/// temporary file beside it and renamed over it by `commit()`, so a failure leaves no half-written
/// file behind; a file there already keeps its mode. A path that is there and is not a regular
/// file (a symbolic link, a pipe, a device such as `/dev/stdout`) is written through as it is,
/// never replaced. Stopped by a signal meanwhile, it removes the temporary file first.
final class OutputFile {
    private let path: String?
    private let temporary: String?
    private let fd: Int32
    private var committed = false

    /// Whether `path` means stdout: none, `-`, or a path to the file stdout is (`/dev/stdout`, or
    /// the file the shell redirected it to). It is written as stdout then (`--json` included), and
    /// no summary of a file written follows the output.
    static func isStdout(_ path: String?) -> Bool {
        guard let path, path != "-" else { return true }
        var named = stat(), standardOutput = stat()
        return stat(path, &named) == 0 && fstat(STDOUT_FILENO, &standardOutput) == 0
            && named.st_dev == standardOutput.st_dev && named.st_ino == standardOutput.st_ino
    }

    /// Opens the output; an unwritable place fails here, before any work is done.
    init(path: String?) throws(Failure) {
        self.path = path
        var info = stat()
        let exists = path.map { lstat($0, &info) == 0 } ?? false
        guard let path, !Self.isStdout(path) else {
            temporary = nil
            fd = STDOUT_FILENO
            return
        }
        if exists && info.st_mode & S_IFMT != S_IFREG {
            temporary = nil
            fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { throw Self.failure(path) }
            return
        }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let base = String(path[(path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)...])
        // Named for the signal handler before it exists: `mkstemp` writes the name into this buffer
        // before it creates the file, so a signal at any moment finds what to remove.
        let name = strdup(directory + "." + base + ".XXXXXX")
        temporaryBeingWritten.store(Int(bitPattern: name), ordering: .relaxed)
        for signal in [SIGINT, SIGTERM, SIGHUP] { Glibc.signal(signal, removeTemporaryThenStop) }
        let opened = name.map { mkstemp($0) } ?? -1
        guard opened >= 0 else {
            let failure = Self.failure(path)
            Self.forgetTemporary()
            throw failure
        }
        fd = opened
        temporary = name.map { String(cString: $0) }
        // mkstemp makes the file 0600; give it the mode of the file it replaces, or of a new one.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, exists ? info.st_mode & 0o7777 : 0o666 & ~mask)
    }

    deinit {
        if fd != STDOUT_FILENO { close(fd) }
        if let temporary, !committed { unlink(temporary) }
        Self.forgetTemporary()
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

    /// Puts the file in place (nothing to do for stdout, nor for a path written through).
    func commit() throws(Failure) {
        guard let path, let temporary else { return }
        guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw Self.failure(path) }
        committed = true
        Self.forgetTemporary()
    }

    /// No temporary file for a signal to remove any more (it is in place, or removed).
    private static func forgetTemporary() {
        free(UnsafeMutablePointer<CChar>(bitPattern: temporaryBeingWritten.exchange(0, ordering: .relaxed)))
    }

    private static func failure(_ path: String) -> Failure {
        Failure("cannot write \(path): \(String(cString: strerror(errno)))", exitCode: 73)
    }
}
