/// The last line of a streamed `export` answer: how many rows came before it.
public struct ExportSummary: Codable, Sendable, Equatable {
    public var rows: Int

    public init(rows: Int) {
        self.rows = rows
    }
}
