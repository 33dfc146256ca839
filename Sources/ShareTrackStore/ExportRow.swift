import ShareTrackCore

/// One row of the fact table that `sharectl export` writes: one share token in one hour bucket,
/// the share's attribution (none for an orphan: a token whose share is not recorded yet) and the
/// counters of that hour.
public struct ExportRow: Sendable, Equatable {
    /// A cell: text (quoted in JSON) or a number already written out; `nil` is an empty cell.
    public enum Cell: Sendable, Equatable {
        case text(String?)
        case number(String?)
    }

    /// The columns, in order: the contract's names.
    public static let columns = [
        "hour", "share", "advocate", "venue", "campaign", "network", "tier", "followers",
        "shares", "reach", "clicks", "unique_clicks", "bot_clicks", "conversions", "value", "engagement_rate",
        "orphan_clicks", "orphan_conversions",
    ]

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

    /// The cells in `columns` order. Numbers have no thousands separators; `value` is exact, with
    /// two decimals (three where it has them); `engagement_rate` (this row's `unique_clicks / reach`)
    /// is written without an exponent; an orphan's clicks and conversions are also its `orphan_clicks` and `orphan_conversions`.
    public var cells: [Cell] {
        let orphan = attributes == nil
        var cells: [Cell] = []
        cells.reserveCapacity(Self.columns.count)
        cells.append(.text(RFC3339.format(hour * 3600)))
        cells.append(.text(share))
        cells.append(.text(attributes?.advocate))
        cells.append(.text(attributes?.venue))
        cells.append(.text(attributes?.campaign))
        cells.append(.text(attributes?.network))
        cells.append(.text(tier?.rawValue))
        cells.append(.number(attributes.map { String($0.followers) }))
        for counter in [counters.shares, counters.reach, counters.clicks, counters.uniqueClicks, counters.botClicks,
                        counters.conversions] {
            cells.append(.number(String(counter)))
        }
        cells.append(.number(Self.money(counters.value)))
        cells.append(.number(Self.plainDecimal(counters.engagementRate)))
        cells.append(.number(String(orphan ? counters.clicks : 0)))
        cells.append(.number(String(orphan ? counters.conversions : 0)))
        return cells
    }

    /// An amount exactly, without thousands separators: `1234.5` as `1234.50`, `0.125` as `0.125`.
    static func money(_ value: Money) -> String {
        let magnitude = value.thousandths.magnitude
        let cents = magnitude % 1000 / 10, mills = magnitude % 10
        return (value.thousandths < 0 ? "-" : "") + String(magnitude / 1000) + (cents < 10 ? ".0" : ".") + String(cents)
            + (mills == 0 ? "" : String(mills))
    }

    /// The shortest decimal that reads back as `value`, without an exponent: `6e-07` as `0.0000006`.
    static func plainDecimal(_ value: Double) -> String {
        let text = String(value)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]), exponent < 0 else {
            return text
        }
        let digits = text[..<e].filter { $0 != "." }
        return "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
}
