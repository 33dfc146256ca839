/// A batch as bytes, for the store's journal: compact, written a line at a time, checked when read.
///
/// A batch is two records. The effects (`Batch.effects`) are every erasure, counter delta, share and
/// visitor pair in the order the batch recorded them, each led by a tag byte; decoding replays them
/// through `Batch.add`, so a decoded batch is the batch that was encoded. The header holds the
/// version, the generation, the event count and the producers' states. Integers are LEB128 varints
/// (signed ones zigzag-encoded; a `value` is its thousandths), a visitor hash is its 8 bytes, a
/// string is its UTF-8 length and bytes, an optional string has a presence byte first. A counter
/// delta has a bit mask of the counters it changes, and only those follow. A visitor pair of the
/// token the record before it named (a first click: its counter delta, then its visitor) leaves the
/// token out; one kept apart (`VisitorPair.apart`, a later tag) always names it.
///
/// An erasure is sealed (`SealedErasure`): its record holds the sealed bytes, counted. Inside the
/// seal is its plain record, a tag and the visitor's hash or the advocate id and pseudonym, as
/// versions 2 and 3 wrote it in the batch itself. So is a forgotten visitor's pair in a batch
/// rewritten while it waited to be shipped (`SealedPair`). Reading them needs the visitor key;
/// readers without it (`sharectl --db`, which only counts) skip them.
///
/// Version 1 (the first release) held visitor ids in clear and a `value` as the 8 bytes of a
/// `Double`; such a batch (left journaled by a crash before an upgrade) still decodes: its visitor
/// ids are hashed with the key given, or left out where no key is given (readers that only count).
/// Versions 1 and 2 give a visitor pair its click's hour, version 3 its time: an older pair's
/// time is the last second of its hour (`VisitorPair.time(inHour:)`).
///
/// Ids are read in NFC (`CanonicalText`), whatever wrote them: a batch journaled before ingest kept
/// them so (versions 1 and 2) is applied and shipped under the ids the tables hold since schema
/// version 20. (No batch names a source in two spellings: its producers were keyed by `String`,
/// whose `==` finds them equal.)
public enum BatchCodec {
    public struct Corrupt: Error, CustomStringConvertible {
        public var description: String
    }

    static let version: UInt8 = 4

    enum Tag: UInt8 {
        case counters = 1, share, visitor, visitorOfLastToken, erasedVisitor, erasedAdvocate, visitorApart, sealedErasure
        case sealedVisitor
    }

    // MARK: Encoding

    /// (This runs for every accepted line: no array, no allocation.)
    static func encode(_ delta: Counters, at key: CounterKey, into writer: inout ByteWriter) {
        var mask: UInt8 = delta.value == .zero ? 0 : 1 << 6
        forEachCount(of: delta) { bit, count in if count != 0 { mask |= 1 << bit } }
        writer.byte(Tag.counters.rawValue)
        writer.byte(mask)
        writer.token(key.token)
        writer.signed(key.hour)
        forEachCount(of: delta) { _, count in if count != 0 { writer.signed(count) } }
        if delta.value != .zero { writer.signed(delta.value.thousandths) }
    }

    /// The integer counters with their bit in the mask.
    private static func forEachCount(of delta: Counters, _ body: (UInt8, Int64) -> Void) {
        body(0, delta.shares)
        body(1, delta.reach)
        body(2, delta.clicks)
        body(3, delta.uniqueClicks)
        body(4, delta.botClicks)
        body(5, delta.conversions)
    }

    static func encode(_ share: ShareRecord, into writer: inout ByteWriter) {
        writer.byte(Tag.share.rawValue)
        writer.token(share.token)
        writer.string(share.attributes.advocate)
        writer.string(share.attributes.venue)
        writer.optional(share.attributes.campaign)
        writer.string(share.attributes.network)
        writer.signed(Int64(share.attributes.followers))
        writer.string(share.tier.rawValue)
        writer.signed(share.time)
    }

    static func encode(_ pair: VisitorPair, into writer: inout ByteWriter) {
        if pair.apart {
            writer.byte(Tag.visitorApart.rawValue)
            writer.token(pair.token)
        } else if pair.token == writer.lastToken {
            writer.byte(Tag.visitorOfLastToken.rawValue)
        } else {
            writer.byte(Tag.visitor.rawValue)
            writer.token(pair.token)
        }
        writer.fixed(pair.visitor)
        writer.signed(pair.time)
    }

    static func encode(_ erasure: SealedErasure, into writer: inout ByteWriter) {
        writer.byte(Tag.sealedErasure.rawValue)
        writer.counted(erasure.bytes)
    }

    static func encode(_ pair: SealedPair, into writer: inout ByteWriter) {
        writer.byte(Tag.sealedVisitor.rawValue)
        writer.counted(pair.bytes)
    }

    /// The plain record of `erasure`, which `SealedErasure` seals.
    static func plain(_ erasure: Erasure) -> [UInt8] {
        var writer = ByteWriter()
        switch erasure {
        case .visitor(let hash):
            writer.byte(Tag.erasedVisitor.rawValue)
            writer.fixed(hash)
        case .advocate(let id, let pseudonym):
            writer.byte(Tag.erasedAdvocate.rawValue)
            writer.string(id)
            writer.string(pseudonym)
        }
        return writer.bytes
    }

    /// The erasure of a plain record (`plain`).
    static func erasure(_ plain: UnsafeRawBufferPointer) throws(Corrupt) -> Erasure {
        var reader = ByteReader(plain)
        let erasure = try erasure(tagged: Tag(rawValue: try reader.byte()), from: &reader)
        guard reader.isAtEnd else { throw Corrupt(description: "trailing bytes after a sealed erasure") }
        return erasure
    }

    /// The rest of a plain erasure record whose tag was `tag`.
    static func erasure(tagged tag: Tag?, from reader: inout ByteReader) throws(Corrupt) -> Erasure {
        switch tag {
        case .erasedVisitor: .visitor(hash: try reader.fixed())
        case .erasedAdvocate: .advocate(id: CanonicalText.nfc(try reader.string()), pseudonym: try reader.string())
        default: throw Corrupt(description: "not an erasure")
        }
    }

    /// The header of `batch`: its version, generation, event count and producers.
    public static func header(_ batch: Batch) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(version)
        writer.unsigned(batch.generation)
        writer.signed(Int64(batch.events))
        writer.unsigned(UInt64(batch.sources.count))
        for (source, state) in batch.sources {
            writer.string(source)
            writer.unsigned(state.highestSeq)
            writer.signed(state.lastSeen)
            writer.signed(state.accepted)
            writer.signed(state.rejected)
            writer.signed(state.duplicates)
            writer.signed(state.test)
        }
        return writer.bytes
    }

    // MARK: Decoding

    /// - Parameters:
    ///   - visitorKey: opens the batch's erasures, and hashes the visitor ids of a version 1
    ///     batch (see above).
    ///   - rewrite: what to change in the batch's shares and visitor pairs as it is read.
    public static func decode(header: UnsafeRawBufferPointer, effects: UnsafeRawBufferPointer,
                              visitorKey: VisitorKey? = nil, rewriting rewrite: (any BatchRewrite)? = nil) throws(Corrupt) -> Batch {
        var reader = ByteReader(header)
        let format = try reader.byte()
        guard (1...version).contains(format) else { throw Corrupt(description: "unknown batch format") }
        let legacy = format == 1
        var batch = Batch(generation: try reader.unsigned())
        batch.events = Int(try reader.signed())
        for _ in 0..<(try reader.count()) {
            let source = CanonicalText.nfc(try reader.string())
            var state = SourceState()
            state.highestSeq = try reader.unsigned()
            state.lastSeen = try reader.signed()
            state.accepted = try reader.signed()
            state.rejected = try reader.signed()
            state.duplicates = try reader.signed()
            state.test = legacy ? 0 : try reader.signed()
            batch.sources[source] = state
        }
        guard reader.isAtEnd else { throw Corrupt(description: "trailing bytes after the batch header") }
        var records = BatchRecords(effects, format: format, visitorKey: visitorKey)
        while let record = try records.next() {
            switch record {
            case .counters(let delta, let key): batch.add(delta, at: key)
            case .share(let share): batch.add(rewrite?.rewriting(share) ?? share)
            case .visitor(let pair):
                switch rewrite?.rewriting(pair) ?? .keep {
                case .keep: batch.add(pair)
                case .drop: continue
                case .seal:
                    guard let visitorKey else { throw Corrupt(description: "sealing a visitor pair needs the visitor key") }
                    batch.add(SealedPair(pair, key: visitorKey))
                }
            case .sealedVisitor(let sealed) where rewrite?.rewriting(sealed.pair) != .drop: batch.add(sealed)
            case .sealedVisitor: continue
            case .erasure(let sealed): batch.add(sealed)
            }
        }
        return batch
    }
}
