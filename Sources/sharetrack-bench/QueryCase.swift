import ShareTrackCore
import ShareTrackStore

/// One query `--queries` times: a name for the table and the control request.
struct QueryCase {
    var name: String
    var request: ControlRequest

    /// `tiers`, `venues` and `top --by` every ranking, all time and over the last 24 h, without and
    /// with a filter; `share` and `advocate` of stored ones; `status` and `metrics`.
    static func all(now: Int64, token: String, advocate: String) -> [QueryCase] {
        let ranges: [(String, QueryFilter)] = [("", QueryFilter()), (" 24h", QueryFilter(since: now - 86_400))]
        var cases: [QueryCase] = []
        func add(_ name: String, _ command: ControlRequest.Command, by: String? = nil, filterName: String,
                 _ filter: (inout QueryFilter) -> Void) {
            for (rangeName, range) in ranges {
                for filtered in [false, true] {
                    var query = range
                    if filtered { filter(&query) }
                    cases.append(QueryCase(name: name + rangeName + (filtered ? " " + filterName : ""),
                                           request: ControlRequest(command: command, query: Query(by: by, filter: query))))
                }
            }
        }
        add("tiers", .tiers, filterName: "--venue") { $0.venue = "venue-03" }
        add("venues", .venues, filterName: "--campaign") { $0.campaign = "campaign-2" }
        for ranking in Ranking.allCases {
            add("top --by \(ranking.rawValue)", .top, by: ranking.rawValue, filterName: "--venue") { $0.venue = "venue-03" }
        }
        cases.append(QueryCase(name: "share", request: ControlRequest(command: .share, query: Query(id: token))))
        cases.append(QueryCase(name: "advocate", request: ControlRequest(command: .advocate, query: Query(id: advocate))))
        cases.append(QueryCase(name: "status", request: ControlRequest(command: .status)))
        cases.append(QueryCase(name: "metrics", request: ControlRequest(command: .metrics)))
        return cases
    }
}
