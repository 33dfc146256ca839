import Glibc
import ShareTrackCore
import ShareTrackShared
import ShareTrackStore

/// Where a query command's answers come from: the daemon (control socket), the database file
/// itself (`--db PATH`), read-only, through the same query engine, or a shared store (`--db
/// postgresql://...`), for all its nodes together.
struct QueryAnswers {
    private enum Source {
        case daemon(socketPath: String)
        case file(Queries)
        case store(SharedQueries)
    }

    private let source: Source
    /// Where the answers come from, for people (no password).
    let description: String

    /// The queries of `--db`'s file; one that cannot be read (or a directory) is exit status 66,
    /// as `send`'s input.
    static func offline(_ path: String) throws -> Queries {
        var info = stat()
        guard access(path, R_OK) == 0, stat(path, &info) == 0 else {
            throw Failure("cannot read the database \(path): \(String(cString: strerror(errno)))", exitCode: 66)
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw Failure("cannot read the database \(path): it is a directory", exitCode: 66)
        }
        return try Queries(path: path)
    }

    init(socketPath: String, databasePath: String?) throws {
        if let databasePath, SharedNodes.isConnectionString(databasePath) {
            let connection = try PostgresConnection(databasePath, applicationName: "sharectl")
            source = .store(SharedQueries(connection))
            description = "the shared store \(connection.location)"
        } else if let databasePath {
            source = .file(try Self.offline(databasePath))
            description = "the database \(databasePath)"
        } else {
            source = .daemon(socketPath: socketPath)
            description = "sharetrackd (\(socketPath))"
        }
    }

    /// The answer to `request`, as `Answer`.
    func answer<Answer: Decodable>(_ request: ControlRequest, now: Int64, as _: Answer.Type = Answer.self) throws
        -> Answer
    {
        let answer: any Encodable & Sendable
        switch source {
        case .daemon(let socketPath):
            return try ControlClient.askingAgainWhileBusy {
                try ControlCodec.decodeResult(try ControlClient(path: socketPath).exchange(request), as: Answer.self)
            }
        case .file(let queries):
            answer = try queries.answer(request, live: nil, now: now)
        case .store(let queries):
            answer = try queries.answer(request, now: now)
        }
        guard let typed = answer as? Answer else { throw Failure("unexpected answer: \(type(of: answer))") }
        return typed
    }

    /// Runs `body`, whose answers then read one snapshot where the source allows it (a shared store).
    func snapshot<Result>(_ body: () throws -> Result) throws -> Result {
        guard case .store(let queries) = source else { return try body() }
        return try queries.snapshot(body)
    }
}
