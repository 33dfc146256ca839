import ShareTrackCore
import ShareTrackStore

/// Where a query command's answers come from: the daemon (control socket), or the database file
/// itself (`--db`), read-only, through the same query engine.
struct QueryAnswers {
    private let socketPath: String
    private let queries: Queries?

    init(socketPath: String, databasePath: String?) throws {
        self.socketPath = socketPath
        queries = try databasePath.map { try Queries(path: $0) }
    }

    /// The answer to `request`, as `Answer`.
    func answer<Answer: Decodable>(_ request: ControlRequest, now: Int64, as _: Answer.Type = Answer.self) throws
        -> Answer
    {
        guard let queries else {
            let line = try ControlClient(path: socketPath).exchange(request)
            return try ControlCodec.decodeResult(line, as: Answer.self)
        }
        let answer = try queries.answer(request, live: nil, now: now)
        guard let typed = answer as? Answer else { throw Failure("unexpected answer: \(type(of: answer))") }
        return typed
    }
}
