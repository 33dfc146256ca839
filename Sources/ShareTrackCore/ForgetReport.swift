/// The answer to `forget`.
///
/// In JSON: `{"kind":"visitor","removed_pairs":3}` or
/// `{"kind":"advocate","pseudonym":"forgotten-0123456789ab","renamed_shares":2}`; with a shared store, also
/// `"shared_store":"erased"` or `"pending"`.
public struct ForgetReport: Codable, Sendable, Equatable {
    /// Whether the shared store has carried out the erasure yet.
    public enum SharedStoreState: String, Codable, Sendable {
        /// It has.
        case erased
        /// Shipping is behind or failing: the store carries it out once shipping catches up.
        case pending
    }

    /// `visitor` or `advocate`.
    public var kind: String
    /// Visitor pairs deleted (`visitor`).
    public var removedPairs: Int?
    /// The advocate's new name (`advocate`).
    public var pseudonym: String?
    /// The advocate's shares this daemon's tables held, now under `pseudonym` (`advocate`).
    public var renamedShares: Int?
    /// With a shared store: whether it has the erasure yet.
    public var sharedStore: SharedStoreState?

    public init(kind: String, removedPairs: Int? = nil, pseudonym: String? = nil) {
        self.kind = kind
        self.removedPairs = removedPairs
        self.pseudonym = pseudonym
    }
}
