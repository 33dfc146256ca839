extension Double {
    /// A number as the configuration writes it, in decimal: digits with at most one decimal point
    /// (`2`, `0.25`, `.5`), and an exponent if need be (`1e-3`, `5E-1`), as YAML and JSON write
    /// numbers; no sign, hexadecimal, `inf` or `nan`.
    init?(plainDecimal text: some StringProtocol) {
        let exponentStart = text.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = text[..<(exponentStart ?? text.endIndex)]
        guard mantissa.contains(where: \.isASCIIDigit),
              mantissa.allSatisfy({ $0 == "." || $0.isASCIIDigit }),
              mantissa.filter({ $0 == "." }).count <= 1
        else { return nil }
        if let exponentStart {
            var exponent = text[text.index(after: exponentStart)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        guard let value = Double(String(text)) else { return nil }
        self = value
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
