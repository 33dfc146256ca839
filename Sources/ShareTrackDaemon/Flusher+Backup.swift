import Glibc
import ShareTrackCore
import ShareTrackStore

extension Flusher {
    /// Writes a backup to `path` (`Store.backup`) of everything acknowledged so far: flushes (so
    /// that in `ack: receive` mode the lines answered are durable first), applies what is journaled,
    /// and copies the tables plus any journaled batch they still lack. The copy runs on the apply
    /// queue: flushes (and so answers) go on meanwhile; only applying waits.
    func backup(to path: String, visitorKey: VisitorKey, completion: @escaping @Sendable (Result<BackupReport, ControlError>) -> Void) {
        queue.async {
            let start = ContinuousClock.now
            if let error = self.flushOnQueue()?.error {
                return completion(.failure(ControlError(.failed, "flush failed, the backup would miss answered lines: \(error)")))
            }
            self.applyQueue.async {
                self.applyJournaled()
                do {
                    let journaled = self.pipeline.journaled
                    let generation = try self.store.withLock { try $0.backup(to: path, adding: journaled, visitorKey: visitorKey) }
                    var info = stat()
                    let bytes = stat(path, &info) == 0 ? Int64(info.st_size) : 0
                    completion(.success(BackupReport(path: path, bytes: bytes, generation: generation,
                                                     seconds: (ContinuousClock.now - start).seconds)))
                } catch {
                    completion(.failure(ControlError(.failed, "backup failed: \(error)")))
                }
            }
        }
    }
}
