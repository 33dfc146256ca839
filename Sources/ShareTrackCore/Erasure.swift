/// A `sharectl forget`: travels in a batch (before its rows), through the journal, to the tables
/// (and any shared store), in order with the data it erases.
public enum Erasure: Sendable, Equatable {
    /// Delete every stored pair of the visitor whose keyed hash this is.
    case visitor(hash: UInt64)
    /// Replace the advocate id `id` by `pseudonym` wherever it is stored.
    case advocate(id: String, pseudonym: String)
}

extension Erasure {
    /// `share`, under the pseudonym if this erasure renames its advocate.
    public func renaming(_ share: ShareRecord) -> ShareRecord {
        guard case .advocate(let id, let pseudonym) = self, share.attributes.advocate == id else { return share }
        var renamed = share
        renamed.attributes.advocate = pseudonym
        return renamed
    }

    /// Whether this erasure deletes `pair`.
    public func deletes(_ pair: VisitorPair) -> Bool {
        if case .visitor(let hash) = self { pair.visitor == hash } else { false }
    }
}
