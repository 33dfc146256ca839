import ArgumentParser
import Foundation
import ShareTrackCore
import ShareTrackStore

/// What went wrong, for the person at the terminal, and the exit status it ends `sharectl` with.
struct Failure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }

    /// The failure `error` stands for: the daemon's error answers keep their meaning in the exit status.
    init(_ error: any Error) {
        switch error {
        case let failure as Failure:
            self = failure
        case let error as ControlError:
            let exitCodes: [ControlError.Code: Int32] = [.badRequest: 64, .permissionDenied: 77]
            let reason = error.error == .busy ? "sharetrackd is busy: \(error.message)" : error.message
            self.init(reason, exitCode: exitCodes[error.error] ?? 1)
        default:
            self.init(String(describing: error))
        }
    }

    /// Runs a command's work; a failure is printed to stderr and ends `sharectl` with its exit status.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            let failure = Failure(error)
            FileHandle.standardError.write(Data("sharectl: \(failure)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
