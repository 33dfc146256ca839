import Dispatch
import Foundation
import Glibc
import Synchronization

/// What the bench does when it is told to stop (SIGTERM from `timeout` or `kill`, SIGINT, SIGHUP):
/// stops the daemons it started, removes their directories (unless kept), then exits with
/// 128 + the signal's number, as a shell reports a process a signal ended. Without it, a bench
/// stopped mid-run left its `sharetrackd` running on a temporary directory. (A Ctrl-C reaches the
/// daemon too, being in the bench's process group; it then stops on its own as well.)
enum StopSignals {
    /// The daemons started and not finished yet: their pid, directory, and whether it is kept.
    private static let running = Mutex<[Int32: (directory: String, keep: Bool)]>([:])
    /// The signal sources, kept for as long as the bench runs.
    private static let sources = Mutex<[any DispatchSourceSignal]>([])
    private static let queue = DispatchQueue(label: "sharetrack-bench.signals")
    private static let stopping = Atomic(false)

    /// Whether a signal is stopping the bench (the run then ends as its daemon goes: not a failure
    /// of the daemon to report).
    static var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Takes SIGTERM, SIGINT and SIGHUP from now on.
    static func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            sources = [SIGTERM, SIGINT, SIGHUP].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { stop(number) }
                source.resume()
                return source
            }
        }
    }

    static func started(pid: Int32, directory: String, keep: Bool) {
        running.withLock { $0[pid] = (directory, keep) }
    }

    static func finished(pid: Int32) {
        running.withLock { $0[pid] = nil }
    }

    /// Waits for the exit while a signal stops the bench: the run's own end (its daemon gone, its
    /// sockets closed) must not stop the daemon or remove its directory under the signal's handler.
    static func waitIfStopping() {
        while isStopping { sleep(60) }
    }

    private static func stop(_ number: Int32) {
        stopping.store(true, ordering: .relaxed)
        FileHandle.standardError.write(Data("sharetrack-bench: stopped by signal \(number)\n".utf8))
        let daemons = running.withLock { $0 }
        for pid in daemons.keys { kill(pid, SIGTERM) }
        // Up to a minute for each to finish its flush (as `LaunchedDaemon.stop` gives it).
        let deadline = Date().addingTimeInterval(60)
        for (pid, daemon) in daemons {
            while isRunning(pid) && Date() < deadline { usleep(10_000) }
            if isRunning(pid) { kill(pid, SIGKILL) }
            if daemon.keep {
                FileHandle.standardError.write(Data("sharetrack-bench: kept \(daemon.directory)\n".utf8))
            } else {
                try? FileManager.default.removeItem(atPath: daemon.directory)
            }
        }
        exit(128 + number)
    }

    /// Whether `pid` has not exited yet (a child that exited but is not reaped yet has).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        return !stat[end...].hasPrefix(") Z")
    }
}
