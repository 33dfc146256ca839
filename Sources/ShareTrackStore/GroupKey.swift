import ShareTrackCore

/// The share attributes a counter row is summed under: the key of a rollup row, less the hour.
/// A share without a campaign has campaign `''`, as in the rollup tables.
struct GroupKey: Hashable, Sendable {
    var advocate: String
    var venue: String
    var campaign: String
    var network: String
    var tier: String

    /// The attribute names, in the order of the properties.
    static let attributes = ["advocate", "venue", "campaign", "network", "tier"]

    init(advocate: String, venue: String, campaign: String, network: String, tier: String) {
        self.advocate = advocate
        self.venue = venue
        self.campaign = campaign
        self.network = network
        self.tier = tier
    }

    init(_ share: ShareRecord) {
        self.init(advocate: share.attributes.advocate, venue: share.attributes.venue,
                  campaign: share.attributes.campaign ?? "", network: share.attributes.network, tier: share.tier.rawValue)
    }

    /// The attribute named `attribute` (one of `attributes`).
    subscript(attribute: String) -> String {
        switch attribute {
        case "advocate": advocate
        case "venue": venue
        case "campaign": campaign
        case "network": network
        default: tier
        }
    }

    /// Which attributes a projection keeps. An answer projects each of its groups, and looking
    /// each attribute's name up in a set of names for every group cost more than making the
    /// projected key (docs/benchmarks.md, round 19), so the names are looked up once, here.
    struct Projection: Sendable {
        let advocate, venue, campaign, network, tier: Bool

        /// Keeping the attributes named in `attributes`.
        init(_ attributes: Set<String>) {
            advocate = attributes.contains("advocate")
            venue = attributes.contains("venue")
            campaign = attributes.contains("campaign")
            network = attributes.contains("network")
            tier = attributes.contains("tier")
        }
    }

    /// This key with only the attributes `projection` keeps, the others `''`.
    func projected(_ projection: Projection) -> GroupKey {
        GroupKey(advocate: projection.advocate ? advocate : "", venue: projection.venue ? venue : "",
                 campaign: projection.campaign ? campaign : "", network: projection.network ? network : "",
                 tier: projection.tier ? tier : "")
    }

    /// Whether a row under this key passes `filter`'s attribute conditions.
    func matches(_ filter: QueryFilter) -> Bool {
        (filter.advocate.map { $0 == advocate } ?? true) && (filter.venue.map { $0 == venue } ?? true)
            && (filter.campaign.map { $0 == campaign } ?? true) && (filter.network.map { $0 == network } ?? true)
            && (filter.tier.map { $0.rawValue == tier } ?? true)
    }
}
