import CLibPQ
import Glibc

/// One synchronous PostgreSQL connection through libpq. Not thread-safe by itself: its owner keeps
/// it on one queue (the shipper's) or one thread (`sharectl`). Calls block until the server answers.
///
/// The connection string is anything libpq reads (`postgresql://` URI or `key=value` conninfo), with
/// its conventions (`PG*` variables, `.pgpass`, `sslmode`, service files). A password read from
/// `shared_store_password_file` is passed beside it and never appears in an error: every message
/// from here has any password the connection knows replaced by `***`.
public final class PostgresConnection {
    /// Takes what the server says beside its answers, for as long as the connection lives.
    private final class NoticeHandler {
        let handle: (String) -> Void
        init(_ handle: @escaping (String) -> Void) { self.handle = handle }
    }

    private let connection: OpaquePointer
    /// The passwords the connection knows, and the longer pieces of a misread one: masked wherever
    /// they appear in a message.
    private let secrets: [String]
    /// The pieces of a misread password of one or two characters: masked only where libpq quotes
    /// a value that is one of them (`invalid integer value "Sx" for connection option "port"`),
    /// since anywhere else they may be any letters of the message.
    private let shortPieces: [String]
    private let noticeHandler: NoticeHandler?

    /// Connects; throws a transient error when the server cannot be reached. `notices` takes what
    /// the server says beside its answers (a `NOTICE` or `WARNING`: a `DROP ... IF EXISTS` that
    /// found nothing, a `VACUUM` that skipped a table), one message at a time; nil: libpq prints
    /// them on stderr.
    public init(_ conninfo: String, password: String? = nil, applicationName: String = "sharetrack",
                notices: ((String) -> Void)? = nil) throws(PostgresError) {
        // libpq's message would quote the part it cannot read, maybe the password (`parseError`).
        if let problem = Self.parseError(conninfo) {
            throw PostgresError(sqlState: nil, message: "cannot read the shared store's connection string: " + problem)
        }
        // Before `dbname`: the connection string overrides them. After it: they override it.
        var keywords = ["connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                        "keepalives_count", "fallback_application_name", "dbname"]
        var values = ["10", "1", "30", "10", "3", applicationName, conninfo]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        let pieces = Self.misreadPassword(in: conninfo)
        secrets = ([password, Self.password(in: conninfo)].compactMap { $0 } + pieces.filter { $0.count >= 3 })
            .filter { !$0.isEmpty }
        shortPieces = pieces.filter { $0.count < 3 }
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer { (keywordPointers + valuePointers).forEach { free($0) } }
        let handle = keywordPointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywords in
            valuePointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
                PQconnectdbParams(keywords.baseAddress, values.baseAddress, 1)
            }
        }
        guard let handle else { throw PostgresError(sqlState: nil, message: "out of memory connecting") }
        noticeHandler = notices.map(NoticeHandler.init)
        if let noticeHandler {
            PQsetNoticeProcessor(handle, { context, message in
                guard let context, let message else { return }
                Unmanaged<NoticeHandler>.fromOpaque(context).takeUnretainedValue()
                    .handle(oneLine(String(cString: message)))
            }, Unmanaged.passUnretained(noticeHandler).toOpaque())
        }
        connection = handle
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(sqlState: nil, message: "cannot connect to the shared store: " + lastMessage)
        }
        // A session whose client is gone (a daemon stopped or killed while its shipment waited
        // for a lock) would otherwise stay queued on the lock, holding a connection, until it was
        // granted. PostgreSQL 14 and later look at the client's socket while a statement runs.
        if PQserverVersion(handle) >= 140_000 {
            try execute("SET client_connection_check_interval = '\(Self.clientCheckSeconds)s'")
        }
    }

    /// How often the server checks, while a statement of this connection runs, that it is still there.
    public static let clientCheckSeconds = 5

    deinit {
        PQfinish(connection)
    }

    /// Whether a transaction is open (begun and not yet ended).
    public var inTransaction: Bool {
        PQtransactionStatus(connection) != PQTRANS_IDLE
    }

    /// Which database on which server, for people (never the password): `sharetrack on db.example:5432`.
    public var location: String {
        let text = { (value: UnsafeMutablePointer<CChar>?) in value.map { String(cString: $0) } ?? "" }
        return "\(text(PQdb(connection))) on \(text(PQhost(connection))):\(text(PQport(connection)))"
    }

    /// Why libpq cannot read `conninfo` (nil: it can). libpq quotes the part it could not read,
    /// which may be (part of) the password, and a string it cannot read has no password to find
    /// and mask: every quoted part longer than one character is shown as `"***"`.
    public static func parseError(_ conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            defer { PQfreemem(error) }
            let message = error.map { String(cString: $0) } ?? "cannot be read"
            return oneLine(message)
                .replacing(/"([^"]*)"/) { $0.output.1.count > 1 ? "\"***\"" : $0.output.0 }
        }
        PQconninfoFree(options)
        return nil
    }

    /// The password a connection string carries (`password=` or `user:password@`), if any.
    static func password(in conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            PQfreemem(error)
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val { return String(cString: value) }
            option += 1
        }
        return nil
    }

    /// The pieces of what a URI's writer meant as its password where libpq reads it as something
    /// else, so that an error about that would show it: a password with an unencoded `/` or `@`
    /// (`postgresql://u:Zq8/Xw3@host/db` gives the port "Zq8"), or with no `@host` at all
    /// (`postgresql://u:secret/db`). The parts between `/`, `@`, `?`, `#` and `:` of the text after
    /// the user's `:` up to the last `@`, or, without one, a `host:port` whose port is no number.
    static func misreadPassword(in conninfo: String) -> [String] {
        guard conninfo.hasPrefix("postgres"), let scheme = conninfo.firstRange(of: "://") else { return [] }
        let rest = conninfo[scheme.upperBound...]
        let userinfo = rest.lastIndex(of: "@").map { rest[..<$0] } ?? rest.prefix { $0 != "/" && $0 != "?" }
        guard !userinfo.hasPrefix("["), let colon = userinfo.firstIndex(of: ":") else { return [] }
        let meant = userinfo[userinfo.index(after: colon)...]
        if !rest.contains("@") && (meant.allSatisfy(\.isWholeNumber) || meant.contains(",")) { return [] }
        return meant.split(whereSeparator: { "/@?#:".contains($0) }).map(String.init)
    }

    /// Runs one or more statements without parameters (`BEGIN`, DDL); returns the last result.
    @discardableResult
    public func execute(_ sql: String) throws(PostgresError) -> PostgresResult {
        try check(PQexec(connection, sql))
    }

    /// Runs one statement with `$1`, `$2`, ... bound to `parameters` (text format; nil is NULL).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        let result = Self.withCStrings(parameters[...]) { values in
            PQexecParams(connection, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try check(result)
    }

    /// Calls `body` with `strings` as C strings (NULL for nil), without copying them (a shipment's
    /// parameters are tens of megabytes).
    private static func withCStrings<Result>(_ strings: ArraySlice<String?>, _ pointers: [UnsafePointer<CChar>?] = [],
                                             _ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
        guard let first = strings.first else { return body(pointers) }
        guard let string = first else { return withCStrings(strings.dropFirst(), pointers + [nil], body) }
        return string.withCString { withCStrings(strings.dropFirst(), pointers + [$0], body) }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result>(_ body: () throws(PostgresError) -> Result) throws(PostgresError) -> Result {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = PQexec(connection, "ROLLBACK").map { PQclear($0) }
            throw error
        }
    }

    /// Sends one statement without parameters and returns at once, so that the server works on it
    /// while the caller does something else; `result()` waits for its answer. (A later `execute`
    /// or `query` discards an answer nobody read.)
    public func send(_ sql: String) throws(PostgresError) {
        guard PQsendQuery(connection, sql) == 1 else { throw connectionError }
    }

    /// The answer to the statement `send` sent, once it has come.
    public func result() throws(PostgresError) -> PostgresResult {
        var first: OpaquePointer?
        while let next = PQgetResult(connection) {
            if first == nil { first = next } else { PQclear(next) }
        }
        return try check(first)
    }

    private func check(_ result: OpaquePointer?) throws(PostgresError) -> PostgresResult {
        guard let result else { throw connectionError }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        default:
            let error = self.error(of: result)
            PQclear(result)
            throw error
        }
    }

    private func error(of result: OpaquePointer) -> PostgresError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let text = String(cString: PQresultErrorMessage(result))
        // A connection that broke mid-command reports no SQLSTATE of its own.
        return PostgresError(sqlState: state ?? (PQstatus(connection) == CONNECTION_BAD ? "08006" : nil),
                             message: redacted(text.isEmpty ? lastMessage : text))
    }

    private var connectionError: PostgresError {
        PostgresError(sqlState: PQstatus(connection) == CONNECTION_BAD ? "08006" : nil, message: lastMessage)
    }

    private var lastMessage: String {
        redacted(String(cString: PQerrorMessage(connection)))
    }

    /// `text` on one line, with every password the connection knows replaced by `***`.
    private func redacted(_ text: String) -> String {
        var text = oneLine(text)
        for secret in secrets { text = text.replacing(secret, with: "***") }
        for piece in shortPieces { text = text.replacing("\"\(piece)\"", with: "\"***\"") }
        return text
    }
}

/// libpq's message on one line, for a log line or `status`: its lines (a hint or detail after the
/// first is indented with a tab) joined by "; ", each without its indent.
func oneLine(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: "; ")
}
