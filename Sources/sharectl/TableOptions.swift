import ArgumentParser

/// `--wide` of the commands that print tables.
struct TableOptions: ParsableArguments {
    /// How wide a table may be without `--wide`.
    static let defaultWidth = 100

    @Flag(help: "Show every column of wide tables (by default they fit \(Self.defaultWidth) columns).")
    var wide = false

    /// The widest a table may be; `nil`: as wide as it is.
    var width: Int? { wide ? nil : Self.defaultWidth }
}
