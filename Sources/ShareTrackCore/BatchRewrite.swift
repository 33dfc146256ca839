/// What rewriting a journaled batch changes in it as it is read (`BatchCodec.decode(rewriting:)`):
/// for a batch the tables hold already, which waits in the journal to be shipped to a shared
/// store, so that personal data the daemon has deleted is not kept there in clear.
public protocol BatchRewrite: Sendable {
    /// `share`, as the rewritten batch holds it.
    func rewriting(_ share: ShareRecord) -> ShareRecord
    /// What becomes of `pair`.
    func rewriting(_ pair: VisitorPair) -> PairRewrite
}

/// What rewriting a batch does with one of its visitor pairs.
public enum PairRewrite: Sendable {
    case keep
    /// Kept sealed (`SealedPair`): the store still needs it to count exactly (the erasure that
    /// follows deletes it there).
    case seal
    case drop
}

/// `forget`: the advocate's shares under the pseudonym, the visitor's pairs sealed. (Left out,
/// the store could not tell that a click of the visitor through this node repeats a visit it
/// has through another, and would count it unique.)
extension Erasure: BatchRewrite {
    public func rewriting(_ share: ShareRecord) -> ShareRecord {
        guard case .advocate(let id, let pseudonym) = self, share.attributes.advocate == id else { return share }
        var renamed = share
        renamed.attributes.advocate = pseudonym
        return renamed
    }

    public func rewriting(_ pair: VisitorPair) -> PairRewrite {
        if case .visitor(let hash) = self, pair.visitor == hash { .seal } else { .keep }
    }
}

/// A batch journaled under another visitor key than the one shipping now (the store refused it,
/// and the key was put right before it was shipped): its pairs left out, since the store could
/// match none of them with its own hashes, nor `forget` find them. Its counters go as counted.
public struct OtherVisitorKey: BatchRewrite {
    public init() {}

    public func rewriting(_ share: ShareRecord) -> ShareRecord { share }

    public func rewriting(_ pair: VisitorPair) -> PairRewrite { .drop }
}

/// `visitor_retention`: the pairs of clicks before `cutoff` left out.
public struct VisitorExpiry: BatchRewrite {
    /// Seconds since the epoch.
    public var cutoff: Int64

    public init(cutoff: Int64) {
        self.cutoff = cutoff
    }

    public func rewriting(_ share: ShareRecord) -> ShareRecord { share }

    public func rewriting(_ pair: VisitorPair) -> PairRewrite { pair.time >= cutoff ? .keep : .drop }
}
