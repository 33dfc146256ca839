import Testing
import TestSupport

@testable import ShareTrackCore

@Suite("Batch codec")
struct BatchCodecTests {
    static let batch: Batch = {
        var batch = Batch(generation: 1 << 40)
        batch.events = 123_456
        batch.add(ShareRecord(token: "tok-é", attributes: ShareAttributes(advocate: "ann", venue: "café", campaign: "spring",
                                                                           network: "tiktok", followers: 4200),
                              tier: .micro, time: 1_795_809_660))
        batch.add(ShareRecord(token: "t2", attributes: ShareAttributes(advocate: "bo", venue: "v", campaign: nil, network: "x",
                                                                        followers: 0),
                              tier: .nano, time: -5))
        var counters = Counters()
        counters.shares = 1
        counters.reach = 4200
        counters.clicks = Int64.max / 4
        counters.uniqueClicks = -1
        counters.botClicks = 3
        counters.conversions = 2
        counters.value = 19.99
        batch.add(counters, at: CounterKey(token: "tok-é", hour: 498_836))
        batch.add(counters, at: CounterKey(token: "tok-é", hour: 498_836))
        var click = Counters()
        click.clicks = 1
        batch.add(click, at: CounterKey(token: "t2", hour: -1))
        batch.add(Counters(), at: CounterKey(token: "t3", hour: 0))
        batch.add(VisitorPair(token: "tok-é", visitor: visitor("0123456789abcdef"), time: 1_795_809_617))
        batch.add(VisitorPair(token: "t2", visitor: .max, time: -1))
        batch.add(VisitorPair(token: "t2", visitor: 7, time: 3 * 3600 + 59, apart: true))
        batch.add(VisitorPair(token: "t2", visitor: 8, time: 3 * 3600))
        var source = SourceState()
        source.highestSeq = UInt64.max
        source.lastSeen = 1_795_809_700
        source.accepted = 10
        source.rejected = 2
        source.duplicates = 1
        source.test = 4
        batch.sources = ["kiosk-1": source, "redirector": SourceState()]
        return batch
    }()

    static func decode(header: [UInt8], effects: [UInt8]) throws -> Batch {
        try header.withUnsafeBytes { header in
            try effects.withUnsafeBytes { try BatchCodec.decode(header: header, effects: $0, visitorKey: testKey) }
        }
    }

    @Test func aBatchComesBackAsItWasRecorded() throws {
        let decoded = try Self.decode(header: BatchCodec.header(Self.batch), effects: Self.batch.effects.bytes)
        #expect(decoded.generation == Self.batch.generation)
        #expect(decoded.events == Self.batch.events)
        #expect(decoded.shares == Self.batch.shares)
        #expect(decoded.counters == Self.batch.counters)
        #expect(decoded.counters[CounterKey(token: "tok-é", hour: 498_836)]?.value == Money(thousandths: 39_980))
        #expect(decoded.visitors == Self.batch.visitors)
        #expect(decoded.sources == Self.batch.sources)
        #expect(decoded.effects.bytes == Self.batch.effects.bytes)
        let empty = Batch(generation: 7)
        #expect(try Self.decode(header: BatchCodec.header(empty), effects: []).isEmpty)
    }

    @Test("a batch kept without its effects, encoded again, comes back as it was recorded (erasures too)")
    func encodedAgain() throws {
        var erasing = Batch(generation: 9)
        erasing.add(SealedErasure(.advocate(id: "ann", pseudonym: "forgotten-0123456789ab"), key: testKey))
        for original in [Self.batch, erasing] {
            let again = original.withoutEffects.encodedAgain(sealingWith: testKey)
            let decoded = try Self.decode(header: BatchCodec.header(again), effects: again.effects.bytes)
            #expect(decoded.generation == original.generation && decoded.events == original.events)
            #expect(decoded.shares == original.shares && decoded.counters == original.counters)
            #expect(decoded.visitors == original.visitors && decoded.sources == original.sources)
            #expect(decoded.erasures == original.erasures)
        }
    }

    @Test func everyTruncationAndStrayByteIsRefused() {
        let header = BatchCodec.header(Self.batch)
        let effects = Self.batch.effects.bytes
        for length in 0..<header.count {
            #expect(throws: BatchCodec.Corrupt.self) { try Self.decode(header: Array(header[..<length]), effects: effects) }
        }
        // Cut inside a record. (A cut between records, before a tag byte, is a shorter batch; the
        // journal's row boundaries rule that out. Cuts before a byte that could be a tag, 1-8, are skipped.)
        for length in 1..<effects.count where effects[length] > 8 {
            #expect(throws: BatchCodec.Corrupt.self) { try Self.decode(header: header, effects: Array(effects[..<length])) }
        }
        #expect(throws: BatchCodec.Corrupt.self) { try Self.decode(header: header + [0], effects: effects) }
        #expect(throws: BatchCodec.Corrupt.self) { try Self.decode(header: header, effects: effects + [9]) }
        #expect(throws: BatchCodec.Corrupt.self) { try Self.decode(header: [5] + header.dropFirst(), effects: effects) }
    }

    @Test("an erasure leads its batch and comes back as it was recorded")
    func erasures() throws {
        var batch = Batch(generation: 9)
        batch.add(SealedErasure(.visitor(hash: visitor("gone")), key: testKey))
        batch.add(SealedErasure(.advocate(id: "ann", pseudonym: "forgotten-0123456789ab"), key: testKey))
        var click = Counters()
        click.clicks = 1
        batch.add(click, at: CounterKey(token: "t", hour: 5))
        let decoded = try Self.decode(header: BatchCodec.header(batch), effects: batch.effects.bytes)
        #expect(decoded.erasures == batch.erasures)
        #expect(decoded.counters == batch.counters)
    }

    @Test("ids come back in NFC, as a batch journaled before ingest kept them so may not have them")
    func idsInNFC() throws {
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        var batch = Batch(generation: 2)
        batch.add(SealedErasure(.advocate(id: decomposed, pseudonym: "forgotten-0123456789ab"), key: testKey))
        batch.add(ShareRecord(token: "t", attributes: ShareAttributes(advocate: decomposed, venue: "v-" + decomposed,
                                                                      campaign: "c-" + decomposed, network: "x", followers: 1),
                              tier: .nano, time: 0))
        batch.sources = ["k-" + decomposed: SourceState()]
        let decoded = try Self.decode(header: BatchCodec.header(batch), effects: batch.effects.bytes)
        // Bytes compared: Swift's `==` finds the two spellings equal.
        let attributes = try #require(decoded.shares.first?.attributes)
        #expect([attributes.advocate, attributes.venue, attributes.campaign ?? ""].map { Array($0.utf8) }
            == [composed, "v-" + composed, "c-" + composed].map { Array($0.utf8) })
        #expect(decoded.sources.keys.map { Array($0.utf8) } == [Array(("k-" + composed).utf8)])
        if case .advocate(let id, _)? = decoded.erasures.first {
            #expect(Array(id.utf8) == Array(composed.utf8))
        } else {
            Issue.record("no advocate's erasure: \(decoded.erasures)")
        }
    }

    /// A batch as version 2 wrote it (left journaled across the upgrade): each visitor pair with
    /// its click's hour, which the decoded pair has as its time's last second.
    @Test("a batch of version 2 decodes, its visitor pairs dated by their hour's last second")
    func versionTwoBatch() throws {
        // Header: version 2, generation 3, 1 event, no source.
        let header: [UInt8] = [2, 3, 2, 0]
        // A click's counters on "t" in hour 10 (clicks, unique), its visitor of the last token, and
        // one kept apart, each with hour 10.
        var effects: [UInt8] = [1, 0b0000_1100, 1, UInt8(ascii: "t"), 20, 2, 2, 4]
        effects += withUnsafeBytes(of: UInt64(0xAB).littleEndian) { Array($0) } + [20, 7, 1, UInt8(ascii: "t")]
        effects += withUnsafeBytes(of: UInt64(0xCD).littleEndian) { Array($0) } + [20]
        let decoded = try Self.decode(header: header, effects: effects)
        #expect(decoded.visitors == [VisitorPair(token: "t", visitor: 0xAB, time: VisitorPair.time(inHour: 10)),
                                     VisitorPair(token: "t", visitor: 0xCD, time: VisitorPair.time(inHour: 10), apart: true)])
        #expect(decoded.counters[CounterKey(token: "t", hour: 10)]?.uniqueClicks == 1)
    }

    /// A batch as the first release wrote it: visitor ids in clear, `value` as a Double.
    @Test("a batch of the first release decodes, its visitor ids hashed and its value exact")
    func firstReleaseBatch() throws {
        // Header: version 1, generation 3, 2 events, no source.
        let header: [UInt8] = [1, 3, 4, 0]
        // A click and a conversion's counters on "t" in hour 10 (clicks, unique, conversions,
        // value 12.5 as IEEE 754 bits), then the click's visitor "v1" of the last token.
        var effects: [UInt8] = [1, 0b0110_1100, 1, UInt8(ascii: "t"), 20, 2, 2, 2]
        effects += withUnsafeBytes(of: (12.5 as Double).bitPattern.littleEndian) { Array($0) }
        effects += [4, 2, UInt8(ascii: "v"), UInt8(ascii: "1")]
        let decoded = try header.withUnsafeBytes { header in
            try effects.withUnsafeBytes { try BatchCodec.decode(header: header, effects: $0, visitorKey: testKey) }
        }
        #expect(decoded.generation == 3)
        #expect(decoded.counters[CounterKey(token: "t", hour: 10)]?.value == 12.5)
        #expect(decoded.counters[CounterKey(token: "t", hour: 10)]?.uniqueClicks == 1)
        #expect(decoded.visitors == [VisitorPair(token: "t", visitor: visitor("v1"), time: VisitorPair.time(inHour: 10))])
    }
}
