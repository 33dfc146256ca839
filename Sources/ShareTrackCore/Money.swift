import Foundation

/// An exact amount of money in thousandths of the currency unit (`value` of conversions).
///
/// Thousandths hold every ISO 4217 currency's minor unit (cents, or the fils of the three-decimal
/// currencies) exactly. A conversion's `value` is at most 1,000,000,000 (10^12 thousandths), and
/// the engine keeps the sum of all values a database holds below `Int64.max` thousandths
/// (9,223,372,036,854,775.807: 9.2 million conversions of the maximal value), so no sum of them, a
/// counter row, a query's group or a whole database, can overflow.
///
/// In JSON it is a number with the same meaning as the one a client sent (`12.5`), written
/// exactly (never through a binary floating point).
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var thousandths: Int64

    public static let zero = Money(thousandths: 0)
    /// The largest `value` of one conversion: 1,000,000,000.
    public static let maxConversion = Money(thousandths: 1_000_000_000_000)

    public init(thousandths: Int64) {
        self.thousandths = thousandths
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.thousandths < rhs.thousandths }

    /// `12.5`, `0`, `0.001`: the exact decimal, without trailing zeros.
    public var description: String {
        let magnitude = thousandths.magnitude
        var text = String(magnitude / 1000)
        var fraction = magnitude % 1000
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let string = String(fraction)
            text += "." + String(repeating: "0", count: digits - string.count) + string
        }
        return thousandths < 0 ? "-" + text : text
    }

    /// The amount as a `Decimal`, which JSON coding writes and reads as the exact number.
    public var decimal: Decimal {
        Decimal(sign: thousandths < 0 ? .minus : .plus, exponent: -3, significand: Decimal(thousandths.magnitude))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        var scaled = try container.decode(Decimal.self) * 1000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let thousandths = NSDecimalNumber(decimal: rounded).int64Value
        guard Decimal(thousandths) == rounded else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an amount of money")
        }
        self.thousandths = thousandths
    }
}

extension Money {
    /// The amount a JSON number token states, rounded to the nearest thousandth (a half rounds up);
    /// nil if it is negative (other than -0) or above `maximum`. Exact: no binary floating point.
    ///
    /// `number` must be a valid JSON number (the scanner checked it).
    public static func parse(_ number: UnsafeRawBufferPointer, maximum: Money) -> Money? {
        // The value is digits * 10^exponent; `digits` keeps the significant digits as text.
        var digits: [UInt8] = []
        var exponent = 0
        var index = 0
        let negative = number.first == UInt8(ascii: "-")
        if negative { index += 1 }
        var inFraction = false
        while index < number.count {
            let byte = number[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                break
            } else {
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte &- UInt8(ascii: "0")) }
                if inFraction { exponent -= 1 }
            }
            index += 1
        }
        if index < number.count {
            index += 1
            var sign = 1
            if number[index] == UInt8(ascii: "-") { sign = -1; index += 1 } else if number[index] == UInt8(ascii: "+") { index += 1 }
            var written = 0
            while index < number.count {
                // Saturating: far beyond any digit count, the answer no longer depends on it.
                written = min(written * 10 + Int(number[index] &- UInt8(ascii: "0")), 1 << 40)
                index += 1
            }
            exponent += sign * written
        }
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        guard !digits.isEmpty else { return .zero }
        guard !negative else { return nil }
        // In thousandths: digits * 10^(exponent + 3). The integer part is the first `whole` digits.
        let shift = exponent + 3
        let whole = digits.count + shift
        let limit = maximum.thousandths
        guard whole <= 19 else { return nil }
        var thousandths: Int64 = 0
        for position in 0..<max(0, whole) {
            let digit = position < digits.count ? Int64(digits[position]) : 0
            let (times10, overflow) = thousandths.multipliedReportingOverflow(by: 10)
            guard !overflow, times10 <= limit - digit else { return nil }
            thousandths = times10 + digit
        }
        // Past the integer part: more than the maximum if anything is left at the maximum itself.
        let rest = digits.dropFirst(max(0, whole))
        guard thousandths < limit || rest.isEmpty else { return nil }
        // Round half up: the first digit past the thousandths decides (digits before 10^-3 past
        // the first are zeros when `whole` is negative).
        let roundingDigit = whole < 0 ? 0 : rest.first ?? 0
        if roundingDigit >= 5 { thousandths += 1 }
        return Money(thousandths: thousandths)
    }
}

extension Money {
    /// A sum of `conversions` values that the first release kept as a binary floating point number,
    /// rounded to the nearest thousandth and capped at what that many conversions can now be worth
    /// (a sum that had become infinite or absurd is capped, not lost).
    public init(legacy value: Double, conversions: Int64) {
        let cap = Double(max(0, conversions)) * Double(Money.maxConversion.thousandths)
        let scaled = (value * 1000).rounded()
        thousandths = scaled.isNaN || scaled <= 0 ? 0 : Int64(min(scaled, cap, 9.2e18))
    }
}

extension Money: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral units: Int64) {
        thousandths = units * 1000
    }

    /// A literal amount (`12.5`), rounded to the nearest thousandth.
    public init(floatLiteral units: Double) {
        thousandths = Int64((units * 1000).rounded())
    }
}
