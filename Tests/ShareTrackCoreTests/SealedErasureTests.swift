import Testing
import TestSupport

@testable import ShareTrackCore

/// Erasures as the journal holds them: sealed with a key derived from the visitor key.
@Suite("Sealed erasures")
struct SealedErasureTests {
    static let advocate = Erasure.advocate(id: "zq-advocate-id", pseudonym: "forgotten-0123456789ab")
    static let visitorHash: UInt64 = 0x0123_4567_89AB_CDEF

    @Test("a sealed erasure opens with its key, to the erasure; its bytes hold neither the id nor the hash")
    func roundTrip() throws {
        for erasure in [Self.advocate, .visitor(hash: Self.visitorHash)] {
            let sealed = SealedErasure(erasure, key: testKey)
            #expect(try SealedErasure(opening: sealed.bytes, key: testKey) == sealed)
            let plain = BatchCodec.plain(erasure)
            #expect(!sealed.bytes.contains(plain.dropFirst()), "the erasure in clear in \(sealed.bytes)")
        }
        let hash = withUnsafeBytes(of: Self.visitorHash.littleEndian) { Array($0) }
        #expect(!SealedErasure(.visitor(hash: Self.visitorHash), key: testKey).bytes.contains(hash))
        #expect(!SealedErasure(Self.advocate, key: testKey).bytes.contains(Array("zq-advocate-id".utf8)))
        // A fresh nonce each time: the same erasure never seals to the same bytes.
        #expect(SealedErasure(Self.advocate, key: testKey).bytes != SealedErasure(Self.advocate, key: testKey).bytes)
    }

    @Test("another key, a changed byte or a cut record does not open")
    func refusesWrongKeyAndDamage() throws {
        let sealed = SealedErasure(Self.advocate, key: testKey).bytes
        let other = VisitorKey(bytes: [UInt8](repeating: 8, count: VisitorKey.size))!
        #expect(throws: BatchCodec.Corrupt.self) { try SealedErasure(opening: sealed, key: other) }
        for index in sealed.indices {
            var damaged = sealed
            damaged[index] ^= 1
            #expect(throws: BatchCodec.Corrupt.self) { try SealedErasure(opening: damaged, key: testKey) }
        }
        for length in 0..<sealed.count {
            #expect(throws: BatchCodec.Corrupt.self) { try SealedErasure(opening: Array(sealed.prefix(length)), key: testKey) }
        }
    }

    @Test("in a batch: read with the key, skipped without it; never in clear in the journal record")
    func inBatch() throws {
        var batch = Batch(generation: 4)
        batch.add(SealedErasure(Self.advocate, key: testKey))
        batch.add(SealedErasure(.visitor(hash: Self.visitorHash), key: testKey))
        var click = Counters()
        click.clicks = 1
        batch.add(click, at: CounterKey(token: "t", hour: 5))
        let header = BatchCodec.header(batch)
        #expect(!batch.effects.bytes.contains(Array("zq-advocate-id".utf8)))
        let withKey = try decode(header: header, effects: batch.effects.bytes, key: testKey)
        #expect(withKey.erasures == [Self.advocate, .visitor(hash: Self.visitorHash)])
        #expect(withKey.effects.bytes == batch.effects.bytes)
        let withoutKey = try decode(header: header, effects: batch.effects.bytes, key: nil)
        #expect(withoutKey.erasures.isEmpty)
        #expect(withoutKey.counters == batch.counters)
    }

    @Test("an erasure version 3 wrote in clear is read, and sealed from then on")
    func versionThreeErasure() throws {
        // Header: version 3, generation 2, 1 event, no source; an advocate's erasure in clear.
        let header: [UInt8] = [3, 2, 2, 0]
        let effects = BatchCodec.plain(Self.advocate)
        let decoded = try decode(header: header, effects: effects, key: testKey)
        #expect(decoded.erasures == [Self.advocate])
        #expect(!decoded.effects.bytes.contains(Array("zq-advocate-id".utf8)))
        #expect(try decode(header: header, effects: effects, key: nil).erasures.isEmpty)
        // Version 4 does not take an erasure in clear.
        #expect(throws: BatchCodec.Corrupt.self) { try decode(header: [4] + header.dropFirst(), effects: effects, key: testKey) }
    }

    @Test("a batch read erasing an advocate has its shares under the pseudonym; erasing a visitor, its pairs sealed")
    func decodeErasing() throws {
        var batch = Batch(generation: 7)
        let attributes = ShareAttributes(advocate: "zq-advocate-id", venue: "v", campaign: nil, network: "x", followers: 5)
        batch.add(ShareRecord(token: "s1", attributes: attributes, tier: .nano, time: 100))
        var other = attributes
        other.advocate = "someone"
        batch.add(ShareRecord(token: "s2", attributes: other, tier: .nano, time: 100))
        var click = Counters()
        click.clicks = 1
        click.uniqueClicks = 1
        batch.add(click, at: CounterKey(token: "s1", hour: 0))
        batch.add(VisitorPair(token: "s1", visitor: Self.visitorHash, time: 100))
        batch.add(click, at: CounterKey(token: "s2", hour: 0))
        batch.add(VisitorPair(token: "s2", visitor: 99, time: 100))
        let header = BatchCodec.header(batch)

        let renamed = try decode(header: header, effects: batch.effects.bytes, key: testKey, rewriting: Self.advocate)
        #expect(renamed.shares.map(\.attributes.advocate) == ["forgotten-0123456789ab", "someone"])
        #expect(renamed.visitors == batch.visitors && renamed.counters == batch.counters)
        #expect(!renamed.effects.bytes.contains(Array("zq-advocate-id".utf8)))

        // The visitor's pair stays, for the store to count exactly, but not in clear.
        let sealed = try decode(header: header, effects: batch.effects.bytes, key: testKey,
                                rewriting: Erasure.visitor(hash: Self.visitorHash))
        #expect(sealed.visitors == batch.visitors)
        #expect(sealed.shares == batch.shares && sealed.counters == batch.counters)
        let hash = withUnsafeBytes(of: Self.visitorHash.littleEndian) { Array($0) }
        #expect(batch.effects.bytes.contains(hash) && !sealed.effects.bytes.contains(hash))
        // Read back, the rewritten record is what it was made from; without the key, without the sealed pair.
        let reread = try decode(header: header, effects: sealed.effects.bytes, key: testKey)
        #expect(reread.visitors == batch.visitors && reread.counters == batch.counters)
        #expect(try decode(header: header, effects: sealed.effects.bytes, key: nil).visitors == [VisitorPair(token: "s2", visitor: 99, time: 100)])
        // Retention drops a sealed pair that came of age, and keeps the others sealed.
        let expired = try decode(header: header, effects: sealed.effects.bytes, key: testKey, rewriting: VisitorExpiry(cutoff: 101))
        #expect(expired.visitors.isEmpty)
        let young = try decode(header: header, effects: sealed.effects.bytes, key: testKey, rewriting: VisitorExpiry(cutoff: 100))
        #expect(young.effects.bytes.count == sealed.effects.bytes.count && young.visitors == batch.visitors)
    }

    private func decode(header: [UInt8], effects: [UInt8], key: VisitorKey?, rewriting rewrite: (any BatchRewrite)? = nil) throws -> Batch {
        try header.withUnsafeBytes { header in
            try effects.withUnsafeBytes { try BatchCodec.decode(header: header, effects: $0, visitorKey: key, rewriting: rewrite) }
        }
    }
}
