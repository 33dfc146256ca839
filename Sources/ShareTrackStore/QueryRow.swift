import ShareTrackCore

/// A row of a query's answer, as SQLite (`Statement`) and PostgreSQL both give it, so that the
/// rows of `QueryText`'s statements are read by one piece of code.
public protocol QueryRow {
    func int64(_ column: Int32) -> Int64
    func string(_ column: Int32) -> String?
    func isNull(_ column: Int32) -> Bool
    /// Whether the text in `column` is `text` (false for NULL).
    func text(_ column: Int32, is text: String) -> Bool
}

extension Statement: QueryRow {}

extension QueryRow {
    public func text(_ column: Int32, is text: String) -> Bool { string(column) == text }

    /// The seven counters of `QueryText.sums` (or of `Rows.counterColumns` without token and hour), from `column` on.
    public func counters(at column: Int32) -> Counters {
        var counters = Counters()
        counters.shares = int64(column)
        counters.reach = int64(column + 1)
        counters.clicks = int64(column + 2)
        counters.uniqueClicks = int64(column + 3)
        counters.botClicks = int64(column + 4)
        counters.conversions = int64(column + 5)
        counters.value = Money(thousandths: int64(column + 6))
        return counters
    }

    /// An advocate (the first column) and the counters after it: a row of `top`'s per-advocate
    /// statements (`QueryText.advocateRows`, `rankedAdvocateRows`, `advocateTotals`, `liveAdvocates`).
    public var advocateCounters: (advocate: String, counters: Counters) {
        (string(0) ?? "", counters(at: 1))
    }

    /// A share's attribution from the columns of `Rows.shareColumns` after the token, from `column` on.
    public func attribution(at column: Int32) throws(ControlError) -> ShareAttribution {
        ShareAttribution(
            advocate: string(column) ?? "", venue: string(column + 1) ?? "", campaign: string(column + 2),
            network: string(column + 3) ?? "", followers: int64(column + 4), tier: try tier(at: column + 5),
            time: RFC3339.format(int64(column + 6)))
    }

    /// The tier in `column`; one this version does not know is an error.
    func tier(at column: Int32) throws(ControlError) -> Tier {
        guard let tier = Tier(rawValue: string(column) ?? "") else {
            throw ControlError(.failed, "the database holds an unknown tier '\(string(column) ?? "")'")
        }
        return tier
    }

    /// The sums of one row of `QueryText.totals` or `shareCounters`.
    public var totals: CounterTotals {
        CounterTotals(counters(at: 0))
    }
}

extension GroupRow {
    /// A row of `QueryText.groups`.
    public init(_ dimension: Dimension, row: some QueryRow) {
        self.init(dimension, row.string(0) ?? "", advocates: row.isNull(1) ? nil : row.int64(1),
                  totals: CounterTotals(row.counters(at: 2)))
    }

    /// Per-tier rows in tier order. `everyTier`: a row for every tier, zeros included; else only
    /// the tiers `rows` has.
    public static func tiers(_ rows: [GroupRow], everyTier: Bool) -> [GroupRow] {
        Tier.allCases.compactMap { tier in
            rows.first { $0.name == tier.rawValue }
                ?? (everyTier ? GroupRow(.tier, tier.rawValue, advocates: 0, totals: CounterTotals()) : nil)
        }
    }
}

extension ShareReport {
    /// A row of `QueryText.recentShares`.
    public init(row: some QueryRow) throws(ControlError) {
        self.init(share: row.string(0) ?? "", attribution: try row.attribution(at: 1),
                  totals: CounterTotals(row.counters(at: 8)))
    }
}

extension ExportRow {
    /// A row of `QueryText.export` (`QueryText.factColumns`). The rows come in (token, hour) order
    /// and a token has one attribution, so a row of the same token as `previous` takes its token
    /// and attribution from it instead of reading them again (an export spends its time there).
    public init(row: some QueryRow, after previous: ExportRow? = nil) throws(ControlError) {
        if let previous, row.text(0, is: previous.share) {
            self.init(hour: row.int64(1), share: previous.share, attributes: previous.attributes, tier: previous.tier,
                      counters: row.counters(at: 9))
            return
        }
        let attributed = row.int64(2) != 0
        self.init(hour: row.int64(1), share: row.string(0) ?? "",
                  attributes: attributed ? ShareAttributes(advocate: row.string(3) ?? "", venue: row.string(4) ?? "",
                                                           campaign: row.string(5), network: row.string(6) ?? "",
                                                           followers: Int(row.int64(7))) : nil,
                  tier: attributed ? try row.tier(at: 8) : nil, counters: row.counters(at: 9))
    }
}

extension TrendRow {
    /// A row of `QueryText.trend`.
    public init(row: some QueryRow) {
        self.init(hour: RFC3339.format(row.int64(0) * 3600), totals: CounterTotals(row.counters(at: 1)))
    }
}

extension SourceRow {
    /// A producer's row as of `now`; `node` names the node it feeds (shared store only).
    public init(_ source: String, _ state: SourceState, now: Int64, silentAfter: Int64, node: String? = nil) {
        let silentFor = max(0, now - state.lastSeen)
        self.init(source: source, lastSeen: RFC3339.format(state.lastSeen), lastSeq: state.highestSeq,
                  accepted: state.accepted, rejected: state.rejected, duplicates: state.duplicates, test: state.test,
                  silent: silentFor > silentAfter, silentFor: silentFor)
        self.node = node
    }
}

extension ControlError {
    /// `share` of a token neither shared nor clicked.
    public static func neverSeen(_ token: String) -> ControlError {
        ControlError(.notFound, "no share '\(token)': the token was never seen")
    }
}
