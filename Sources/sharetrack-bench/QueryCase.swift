import ShareTrackCore
import ShareTrackStore

/// One query `--queries` times: a name for the table and the control request.
struct QueryCase {
    var name: String
    var request: ControlRequest

    /// `tiers`, `venues` and `top --by` every ranking, all time and over the last 24 h, without and
    /// with a filter (`tiers` and `top --by unique_clicks` also with a venue and a campaign together,
    /// `top --by unique_clicks` and `--by shares` with a campaign, `top --by clicks` with a
    /// campaign and a network, and `top --by reach` and `--by engagement` with a campaign and a
    /// tier); `share` and `advocate` of stored ones; `status` and `metrics`.
    static func all(now: Int64, token: String, advocate: String) -> [QueryCase] {
        let ranges: [(String, QueryFilter)] = [("", QueryFilter()), (" 24h", QueryFilter(since: now - 86_400))]
        let venue = ("--venue", QueryFilter(venue: "venue-03"))
        let campaign = ("--campaign", QueryFilter(campaign: "campaign-2"))
        let both = ("--venue --campaign", QueryFilter(venue: "venue-03", campaign: "campaign-2"))
        let campaignNetwork = ("--campaign --network", QueryFilter(campaign: "campaign-2", network: "youtube"))
        let campaignTier = ("--campaign --tier", QueryFilter(campaign: "campaign-2", tier: .nano))
        var cases: [QueryCase] = []
        func add(_ name: String, _ command: ControlRequest.Command, by: String? = nil, filters: [(String, QueryFilter)]) {
            for (rangeName, range) in ranges {
                for (filterName, filter) in [("", QueryFilter())] + filters {
                    var query = filter
                    query.since = range.since
                    cases.append(QueryCase(name: name + rangeName + (filterName.isEmpty ? "" : " " + filterName),
                                           request: ControlRequest(command: command, query: Query(by: by, filter: query))))
                }
            }
        }
        add("tiers", .tiers, filters: [venue, both])
        add("venues", .venues, filters: [campaign])
        for ranking in Ranking.allCases {
            let filters = switch ranking {
            case .uniqueClicks: [venue, campaign, both]
            case .clicks: [venue, campaignNetwork]
            // A ranking that no other rollup's rows decide in a campaign (docs/benchmarks.md, round 33).
            case .shares: [venue, campaign]
            // The largest tier by reach, which the campaign's rows do not decide (round 34), and
            // by engagement, which no rows bound (round 35).
            case .reach, .engagement: [venue, campaignTier]
            default: [venue]
            }
            add("top --by \(ranking.rawValue)", .top, by: ranking.rawValue, filters: filters)
        }
        cases.append(QueryCase(name: "share", request: ControlRequest(command: .share, query: Query(id: token))))
        cases.append(QueryCase(name: "advocate", request: ControlRequest(command: .advocate, query: Query(id: advocate))))
        cases.append(QueryCase(name: "status", request: ControlRequest(command: .status)))
        cases.append(QueryCase(name: "metrics", request: ControlRequest(command: .metrics)))
        return cases
    }
}
