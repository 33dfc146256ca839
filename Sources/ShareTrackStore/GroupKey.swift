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

    /// This key with only the attributes in `attributes`, the others `''`.
    func projected(onto attributes: Set<String>) -> GroupKey {
        func kept(_ name: String, _ value: String) -> String { attributes.contains(name) ? value : "" }
        return GroupKey(advocate: kept("advocate", advocate), venue: kept("venue", venue), campaign: kept("campaign", campaign),
                        network: kept("network", network), tier: kept("tier", tier))
    }

    /// Whether a row under this key passes `filter`'s attribute conditions.
    func matches(_ filter: QueryFilter) -> Bool {
        (filter.advocate.map { $0 == advocate } ?? true) && (filter.venue.map { $0 == venue } ?? true)
            && (filter.campaign.map { $0 == campaign } ?? true) && (filter.network.map { $0 == network } ?? true)
            && (filter.tier.map { $0.rawValue == tier } ?? true)
    }
}
