/// The answer to `forget`.
///
/// In JSON: `{"kind":"visitor","removed_pairs":3}` or
/// `{"kind":"advocate","pseudonym":"forgotten-0123456789ab"}`.
public struct ForgetReport: Codable, Sendable, Equatable {
    /// `visitor` or `advocate`.
    public var kind: String
    /// Visitor pairs deleted (`visitor`).
    public var removedPairs: Int?
    /// The advocate's new name (`advocate`).
    public var pseudonym: String?

    public init(kind: String, removedPairs: Int? = nil, pseudonym: String? = nil) {
        self.kind = kind
        self.removedPairs = removedPairs
        self.pseudonym = pseudonym
    }
}
