import Testing
@testable import ShareTrackCore

/// The engine's bounded caches: every access reads and writes the key's current value, whatever
/// was cached, rotated or copied in between.
@Suite("Generation cache")
struct GenerationCacheTests {
    @Test("a key's slot found again after the cache grew is its new place")
    func slotAfterGrowth() {
        var cache = GenerationCache<Int>(capacity: 100_000)
        cache[cache.slot(of: "producer") { _ in 0 }] = 1
        // Other keys cached since: the table grows, and every value moves.
        for index in 0..<1_000 { _ = cache.slot(of: "token\(index)") { _ in index } }
        let slot = cache.slot(of: "producer") { _ in 0 }
        #expect(cache[slot] == 1)
        cache[slot] = 2
        #expect(cache["producer"] == 2)
        #expect(cache["token999"] == 999)
    }

    @Test("slots found again for the same key stay right across insertions, rotations and copies")
    func slotsAcrossChanges() {
        var cache = GenerationCache<Int>(capacity: 64)
        // Written through on every change, as the engine's store would be once applied: what a
        // key's value is, and what a load finds.
        var backing: [String: Int] = [:]
        // The keys cached: each one a lookup brought in, until a rotation dropped it.
        var cached: Set<String> = []
        var copies: [(cache: GenerationCache<Int>, values: [String: Int])] = []
        for step in 0..<20_000 {
            // A few keys come in runs (a producer's lines), others now and then.
            let key = step % 4 == 0 ? "k\(step * 7_919 % 500)" : "hot\(step / 5 % 3)"
            if step * 7 / 3 % 10 < 8 { cached.insert(key) }
            switch step * 7 / 3 % 10 {
            case 0..<6:
                let slot = cache.slot(of: key) { backing[$0] ?? 0 }
                #expect(cache[slot] == backing[key] ?? 0)
                cache[slot] += 1
                backing[key, default: 0] += 1
            case 6:
                cache.update(key, load: { backing[$0] ?? 0 }) { $0 += 1 }
                backing[key, default: 0] += 1
            case 7:
                // Found without a load, or cached anew.
                if let slot = cache.cachedSlot(of: key) {
                    #expect(cache[slot] == backing[key] ?? 0)
                    cache[slot] += 1
                } else {
                    _ = cache.slot(of: key) { (backing[$0] ?? 0) + 1 }
                }
                backing[key, default: 0] += 1
            case 8:
                // What a rotation drops is the keys' last values, and no longer cached.
                for (key, value) in cache.rotate() {
                    #expect(value == backing[key] ?? 0)
                    #expect(cache[key] == nil)
                    cached.remove(key)
                }
            default:
                // A snapshot (the engine is copied for a query); its values must not move.
                copies.append((cache, backing))
            }
            #expect(cache.count == cached.count)
        }
        for (copy, values) in copies.suffix(20) {
            for (key, value) in values {
                #expect(copy[key] == nil || copy[key] == value)
            }
        }
    }
}
