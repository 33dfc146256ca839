/// A `sharectl forget`: travels in a batch (before its rows), through the journal, to the tables
/// (and any shared store), in order with the data it erases.
public enum Erasure: Sendable, Equatable {
    /// Delete every stored pair of the visitor whose keyed hash this is.
    case visitor(hash: UInt64)
    /// Replace the advocate id `id` by `pseudonym` wherever it is stored.
    case advocate(id: String, pseudonym: String)
}
