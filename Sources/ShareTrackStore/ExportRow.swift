import ShareTrackCore

/// One row of the fact table that `sharectl export` writes: one share token in one hour bucket,
/// the share's attribution (none for an orphan: a token whose share is not recorded yet) and the
/// counters of that hour.
public struct ExportRow: Sendable, Equatable {
    /// A cell: text (quoted in JSON), a time (RFC 3339 text, from seconds since the epoch), a
    /// number already written out, or an integer (times and integers are written straight into the
    /// output, without a string per cell); `nil` is an empty cell.
    public enum Cell: Sendable, Equatable {
        case text(String?)
        case time(Int64)
        case number(String?)
        case integer(Int64?)
    }

    /// The columns, in order: the contract's names.
    public static let columns = [
        "hour", "share", "advocate", "venue", "campaign", "network", "tier", "followers",
        "shares", "reach", "clicks", "unique_clicks", "bot_clicks", "conversions", "value", "engagement_rate",
        "orphan_clicks", "orphan_conversions",
    ]

    /// Where in `columns` the share's cells (`forEachShareCell`) and the counter cells
    /// (`forEachCounterCell`) begin; the hour comes first.
    static let firstShareColumn = 1
    static let firstCounterColumn = 8

    /// The hour bucket (hours since the epoch).
    public var hour: Int64
    public var share: String
    public var attributes: ShareAttributes?
    public var tier: Tier?
    public var counters: Counters

    public init(hour: Int64, share: String, attributes: ShareAttributes?, tier: Tier?, counters: Counters) {
        self.hour = hour
        self.share = share
        self.attributes = attributes
        self.tier = tier
        self.counters = counters
    }

    /// Hands `body` the share's cells in `columns` order, `share` to `followers` (one at a time:
    /// an export makes no array per row). They are the same in every row of the share.
    public func forEachShareCell(_ body: (Cell) -> Void) {
        body(.text(share))
        body(.text(attributes?.advocate))
        body(.text(attributes?.venue))
        body(.text(attributes?.campaign))
        body(.text(attributes?.network))
        body(.text(tier?.rawValue))
        body(.integer(attributes.map { Int64($0.followers) }))
    }

    /// Hands `body` the counter cells in `columns` order, `shares` to the end. Numbers have no
    /// thousands separators; `value` is exact, with two decimals (three where it has them);
    /// `engagement_rate` (this row's `unique_clicks / reach`) is written without an exponent; an
    /// orphan's clicks and conversions are also its `orphan_clicks` and `orphan_conversions`.
    public func forEachCounterCell(_ body: (Cell) -> Void) {
        let orphan = attributes == nil
        body(.integer(counters.shares))
        body(.integer(counters.reach))
        body(.integer(counters.clicks))
        body(.integer(counters.uniqueClicks))
        body(.integer(counters.botClicks))
        body(.integer(counters.conversions))
        body(.number(Self.money(counters.value)))
        body(.number(Self.plainDecimal(counters.engagementRate)))
        body(.integer(orphan ? counters.clicks : 0))
        body(.integer(orphan ? counters.conversions : 0))
    }

    /// An amount exactly, without thousands separators: `1234.5` as `1234.50`, `0.125` as `0.125`.
    static func money(_ value: Money) -> String {
        if value.thousandths == 0 { return "0.00" }  // most rows: an hour without conversions
        let magnitude = value.thousandths.magnitude
        let cents = magnitude % 1000 / 10, mills = magnitude % 10
        return (value.thousandths < 0 ? "-" : "") + String(magnitude / 1000) + (cents < 10 ? ".0" : ".") + String(cents)
            + (mills == 0 ? "" : String(mills))
    }

    /// The shortest decimal that reads back as `value`, without an exponent: `6e-07` as `0.0000006`.
    static func plainDecimal(_ value: Double) -> String {
        if value == 0 { return "0.0" }  // most rows: an hour without reach (`String(0.0)`)
        let text = String(value)
        guard let e = text.utf8.firstIndex(of: UInt8(ascii: "e")), let exponent = Int(text[text.index(after: e)...]),
              exponent < 0
        else {
            return text
        }
        let digits = text[..<e].filter { $0 != "." }
        return "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
}
