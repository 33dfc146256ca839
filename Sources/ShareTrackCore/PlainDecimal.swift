extension Double {
    /// A number as the configuration writes it: digits with at most one decimal point (`2`,
    /// `0.25`, `.5`); no sign, exponent, hexadecimal, `inf` or `nan`.
    init?(plainDecimal text: some StringProtocol) {
        guard text.contains(where: \.isWholeNumber),
              text.allSatisfy({ $0 == "." || ($0.isASCII && $0.isWholeNumber) }),
              text.filter({ $0 == "." }).count <= 1,
              let value = Double(String(text))
        else { return nil }
        self = value
    }
}
