/// The records of a batch's encoded effects (`BatchCodec`), one at a time, in the order the batch
/// recorded them: what `BatchCodec.decode` replays through `Batch.add`, and what a reader of the
/// daemon's pending batch reads of the records added since it last looked (`PendingEffects`).
public struct BatchRecords {
    public enum Record {
        case counters(Counters, at: CounterKey)
        case share(ShareRecord)
        case visitor(VisitorPair)
        case sealedVisitor(SealedPair)
        case erasure(SealedErasure)
    }

    private var reader: ByteReader
    /// Version 1's format (`BatchCodec`).
    private let legacy: Bool
    /// Whether a visitor pair has its click's hour (versions 1 and 2), not its time.
    private let pairsByHour: Bool
    /// Whether erasures are sealed (version 4 on).
    private let sealed: Bool
    private let visitorKey: VisitorKey?

    /// Records of this version's format, from the start of a record (the daemon's pending batch
    /// records a line's effects together, so a line's visitor follows its counter delta).
    public init(_ effects: UnsafeRawBufferPointer) {
        self.init(effects, format: BatchCodec.version, visitorKey: nil)
    }

    /// - Parameters:
    ///   - format: the batch's version (`BatchCodec`).
    ///   - visitorKey: opens erasures, and hashes a version 1 batch's visitor ids; without it
    ///     both are skipped.
    init(_ effects: UnsafeRawBufferPointer, format: UInt8, visitorKey: VisitorKey?) {
        reader = ByteReader(effects)
        legacy = format == 1
        pairsByHour = format < 3
        sealed = format >= 4
        self.visitorKey = visitorKey
    }

    /// The next record, or nil at the end.
    public mutating func next() throws(BatchCodec.Corrupt) -> Record? {
        while !reader.isAtEnd {
            switch BatchCodec.Tag(rawValue: try reader.byte()) {
            case .counters:
                let (delta, key) = try counters()
                reader.lastHour = key.hour
                return .counters(delta, at: key)
            case .share:
                return .share(try share())
            case .visitor:
                let token = try reader.token()
                if let pair = try visitor(of: token) { return .visitor(pair) }
            case .visitorOfLastToken:
                guard let token = reader.lastToken else { throw BatchCodec.Corrupt(description: "a visitor without a token") }
                if let pair = try visitor(of: token) { return .visitor(pair) }
            case .visitorApart where !legacy:
                let token = try reader.token()
                let visitor: UInt64 = try reader.fixed()
                return .visitor(VisitorPair(token: token, visitor: visitor, time: try pairTime(), apart: true))
            case .sealedErasure where sealed:
                let bytes = try reader.counted()
                if let visitorKey { return .erasure(try SealedErasure(opening: bytes, key: visitorKey)) }
            case .sealedVisitor where sealed:
                let bytes = try reader.counted()
                if let visitorKey { return .sealedVisitor(try SealedPair(opening: bytes, key: visitorKey)) }
            case let tag where !legacy && !sealed && (tag == .erasedVisitor || tag == .erasedAdvocate):
                // Versions 2 and 3 wrote an erasure in clear; read, it is sealed from then on.
                let erasure = try BatchCodec.erasure(tagged: tag, from: &reader)
                if let visitorKey { return .erasure(SealedErasure(erasure, key: visitorKey)) }
            case nil, .erasedVisitor, .erasedAdvocate, .visitorApart, .sealedErasure, .sealedVisitor:
                throw BatchCodec.Corrupt(description: "unknown record in the batch")
            }
        }
        return nil
    }

    /// A visitor pair of `token`; nil for a version 1 pair that no key hashes.
    private mutating func visitor(of token: String) throws(BatchCodec.Corrupt) -> VisitorPair? {
        guard legacy else { return VisitorPair(token: token, visitor: try reader.fixed(), time: try pairTime()) }
        // Version 1: the id in clear, in the hour of the click's counter delta just before it.
        let id = try reader.string()
        guard let visitorKey, let hour = reader.lastHour else { return nil }
        return VisitorPair(token: token, visitor: visitorKey.hash(id), time: VisitorPair.time(inHour: hour))
    }

    /// A visitor pair's time: as written, or where a version 2 pair has its hour, that hour's last second.
    private mutating func pairTime() throws(BatchCodec.Corrupt) -> Int64 {
        pairsByHour ? VisitorPair.time(inHour: try reader.signed()) : try reader.signed()
    }

    private mutating func counters() throws(BatchCodec.Corrupt) -> (Counters, at: CounterKey) {
        let mask = try reader.byte()
        let key = CounterKey(token: try reader.token(), hour: try reader.signed())
        func field(_ bit: UInt8) throws(BatchCodec.Corrupt) -> Int64 { mask & (1 << bit) == 0 ? 0 : try reader.signed() }
        var delta = Counters()
        delta.shares = try field(0)
        delta.reach = try field(1)
        delta.clicks = try field(2)
        delta.uniqueClicks = try field(3)
        delta.botClicks = try field(4)
        delta.conversions = try field(5)
        if mask & (1 << 6) != 0 {
            delta.value = legacy ? Money(legacy: Double(bitPattern: try reader.fixed()), conversions: delta.conversions)
                : Money(thousandths: try reader.signed())
        }
        return (delta, key)
    }

    private mutating func share() throws(BatchCodec.Corrupt) -> ShareRecord {
        let token = try reader.token()
        // In NFC, as a batch journaled before ingest kept ids so may not have them (`BatchCodec`).
        let attributes = ShareAttributes(
            advocate: CanonicalText.nfc(try reader.string()), venue: CanonicalText.nfc(try reader.string()),
            campaign: try reader.optional().map(CanonicalText.nfc), network: try reader.string(),
            followers: Int(try reader.signed()))
        let tierName = try reader.string()
        guard let tier = Tier(rawValue: tierName) else { throw BatchCodec.Corrupt(description: "unknown tier '\(tierName)'") }
        return ShareRecord(token: token, attributes: attributes, tier: tier, time: try reader.signed())
    }
}
