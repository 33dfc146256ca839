import Foundation
import Testing

@testable import ShareTrackCore

@Suite("Exact money")
struct MoneyTests {
    @Test(arguments: [(12_500, "12.5"), (0, "0"), (1, "0.001"), (19_990, "19.99"), (1_000_000_000_000, "1000000000"),
                      (Int64.max, "9223372036854775.807")] as [(Int64, String)])
    func decimalText(thousandths: Int64, text: String) throws {
        let money = Money(thousandths: thousandths)
        #expect(money.description == text)
        // In JSON, the same number a client sent, exactly, and back.
        let json = String(decoding: try JSONEncoder().encode([money]), as: UTF8.self)
        #expect(json == "[\(text)]")
        #expect(try JSONDecoder().decode([Money].self, from: Data(json.utf8)) == [money])
    }

    @Test func forPeople() {
        #expect(Formatting.money(Money(thousandths: 1_234_500)) == "1,234.50")
        #expect(Formatting.money(Money(thousandths: 125)) == "0.125")
        #expect(Formatting.money(.zero) == "0.00")
    }

    @Test("a first-release sum: rounded to the thousandth, capped at the maximum of its conversions")
    func legacy() {
        #expect(Money(legacy: 19.99, conversions: 2) == Money(thousandths: 19_990))
        #expect(Money(legacy: .infinity, conversions: 2) == Money(thousandths: 2_000_000_000_000))
        #expect(Money(legacy: -.nan, conversions: 1) == .zero)
    }
}
