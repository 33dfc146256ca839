import Logging
import ShareTrackCore

extension Daemon {
    /// Erases a visitor or an advocate (`Flusher.forget`); logs the kind of id, never the id.
    func forget(_ target: ForgetTarget?, on connection: ControlConnection) throws(ControlError) {
        let erasure: Erasure
        let kind: String
        switch (target?.visitor, target?.advocate) {
        case (let visitor?, nil) where !visitor.isEmpty:
            erasure = .visitor(hash: visitorKey.hash(visitor))
            kind = "visitor"
        case (nil, let advocate?) where !advocate.isEmpty:
            erasure = .advocate(id: advocate, pseudonym: Self.pseudonym())
            kind = "advocate"
        default:
            let both = target?.visitor != nil && target?.advocate != nil
            throw ControlError(.badRequest, "forget needs exactly one of 'visitor' and 'advocate', " + (both ? "not both" : "not empty"))
        }
        logger.notice("forget requested", metadata: ["kind": "\(kind)", "uid": "\(connection.peer?.uid ?? 0)"])
        // A running export's snapshot may hold the id, and keeps the database's log from being emptied.
        control.cutStreams("cut short by a forget (the export's snapshot may hold the forgotten id); export again")
        flusher.forget(SealedErasure(erasure, key: visitorKey)) { [logger, shipper] result in
            switch result {
            case .success(let done):
                var report = ForgetReport(kind: kind)
                if case .advocate(_, let pseudonym) = erasure {
                    report.pseudonym = pseudonym
                    report.renamedShares = done.erasedRows
                } else {
                    report.removedPairs = done.erasedRows
                }
                if shipper != nil { report.sharedStore = done.shipped ? .erased : .pending }
                logger.notice("forget done", metadata: ["kind": "\(kind)", "erased_rows": "\(done.erasedRows)",
                                                        "shared_store": "\(report.sharedStore?.rawValue ?? "none")"])
                connection.reply(ControlCodec.resultLine(report))
            case .failure(let failure):
                logger.error("forget failed", metadata: ["kind": "\(kind)", "error": "\(failure)"])
                connection.reply(ControlCodec.errorLine(ControlError(.failed, "forget failed: \(failure)")))
            }
        }
    }

    /// `forgotten-` and 12 random hex digits.
    static func pseudonym() -> String {
        let digits = String(UInt64.random(in: 0..<(1 << 48)), radix: 16)
        return "forgotten-" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}
