import Foundation
import Glibc

extension Process {
    /// Waits for the process to end by polling `isRunning`. `waitUntilExit()` runs the calling
    /// thread's run loop, which can wait forever on a test's thread pool.
    func waitForTermination(timeout: Double = 120) {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            guard Date() < deadline else {
                kill(processIdentifier, SIGKILL)
                usleep(100_000)
                continue
            }
            usleep(5_000)
        }
    }
}
