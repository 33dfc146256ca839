import ShareTrackCore

/// A request, checked: the command with its arguments and their defaults.
public enum Question {
    case top(Ranking, limit: Int, QueryFilter)
    case advocate(String, QueryFilter)
    case share(String, QueryFilter)
    case venues(QueryFilter)
    case tiers(QueryFilter)
    case networks(QueryFilter)
    case trend(QueryFilter)
    case sources(silentAfter: Int64, limit: Int)

    public init(_ request: ControlRequest) throws(ControlError) {
        let query = request.query ?? Query()
        let filter = query.filter
        try filter.checkRange()
        switch request.command {
        case .top:
            guard let ranking = Ranking(rawValue: query.by ?? Ranking.uniqueClicks.rawValue) else {
                throw ControlError(.badRequest, "unknown value '\(query.by ?? "")' for by: expected "
                                   + Ranking.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let limit = query.limit ?? Queries.defaultLimit
            guard limit >= 1 else { throw ControlError(.badRequest, "limit must be at least 1, not \(limit)") }
            self = .top(ranking, limit: limit, filter)
        case .advocate:
            self = .advocate(try Self.id(query, "advocate id"), filter)
        case .share:
            self = .share(try Self.id(query, "share token"), filter)
        case .venues:
            self = .venues(filter)
        case .tiers:
            self = .tiers(filter)
        case .networks:
            self = .networks(filter)
        case .trend:
            self = .trend(filter)
        case .sources:
            let silentAfter = query.silentAfter ?? Queries.defaultSilentAfter
            guard silentAfter >= 0 else {
                throw ControlError(.badRequest, "silent_after must not be negative, not \(silentAfter)")
            }
            let limit = query.limit ?? Queries.defaultSourcesLimit
            guard (1...Queries.maxSourcesLimit).contains(limit) else {
                throw ControlError(.badRequest, "limit must be from 1 to \(Queries.maxSourcesLimit), not \(limit)")
            }
            self = .sources(silentAfter: silentAfter, limit: limit)
        case .status, .flush, .reload, .metrics, .forget, .backup, .resetSource, .export:
            throw ControlError(.badRequest, "'\(request.command.rawValue)' is not a query")
        case .nodes:
            throw ControlError(.badRequest, "nodes reads a shared store, not a SQLite file")
        }
    }

    private static func id(_ query: Query, _ what: String) throws(ControlError) -> String {
        guard let id = query.id, !id.isEmpty else { throw ControlError(.badRequest, "missing id: the \(what)") }
        return id
    }
}
