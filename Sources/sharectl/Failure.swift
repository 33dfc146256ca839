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
            self.init(error.message, exitCode: exitCodes[error.error] ?? 1)
        default:
            self.init(String(describing: error))
        }
    }
}
