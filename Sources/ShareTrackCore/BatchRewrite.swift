/// What rewriting a journaled batch changes in it as it is read (`BatchCodec.decode(rewriting:)`):
/// for a batch the tables hold already, which waits in the journal to be shipped to a shared
/// store, so that personal data the daemon has deleted is not shipped, nor kept, from there.
public protocol BatchRewrite: Sendable {
    /// `share`, as the rewritten batch holds it.
    func rewriting(_ share: ShareRecord) -> ShareRecord
    /// Whether the rewritten batch keeps `pair`.
    func keeps(_ pair: VisitorPair) -> Bool
}

/// `forget`: the advocate's shares under the pseudonym, the visitor's pairs left out.
extension Erasure: BatchRewrite {
    public func rewriting(_ share: ShareRecord) -> ShareRecord {
        guard case .advocate(let id, let pseudonym) = self, share.attributes.advocate == id else { return share }
        var renamed = share
        renamed.attributes.advocate = pseudonym
        return renamed
    }

    public func keeps(_ pair: VisitorPair) -> Bool {
        if case .visitor(let hash) = self { pair.visitor != hash } else { true }
    }
}

/// `visitor_retention`: the pairs of clicks before `cutoff` left out.
public struct VisitorExpiry: BatchRewrite {
    /// Seconds since the epoch.
    public var cutoff: Int64

    public init(cutoff: Int64) {
        self.cutoff = cutoff
    }

    public func rewriting(_ share: ShareRecord) -> ShareRecord { share }

    public func keeps(_ pair: VisitorPair) -> Bool { pair.time >= cutoff }
}
