import Glibc

/// The generated event stream, already encoded: one byte stream per producer connection, with
/// where each line ends, made before anything is timed.
struct Workload: Sendable {
    /// One producer's lines, in the order it sends them.
    struct Stream: Sendable {
        var source: String
        var bytes: [UInt8] = []
        /// Offset just past each line's `\n`.
        var lineEnds: [Int] = []

        var lineCount: Int { lineEnds.count }
    }

    struct Mix: Sendable, Codable {
        var shares = 0
        var clicks = 0
        var botClicks = 0
        var clicksWithVisitor = 0
        var conversions = 0
        var orphansPlanned = 0
        var tiers: [String: Int] = [:]
    }

    var spec: WorkloadSpec
    var streams: [Stream]
    var mix: Mix

    var events: Int { streams.reduce(0) { $0 + $1.lineCount } }
    var bytes: Int { streams.reduce(0) { $0 + $1.bytes.count } }

    /// Generates the workload of `spec`.
    init(_ spec: WorkloadSpec) {
        self.spec = spec
        var mix = Mix()
        let (shareCount, clickCount, conversionCount) = spec.counts
        let spanStart = spec.spanEnd - Int64(spec.days) * 86_400
        // Mixed: the tags of runs a second apart hash to nearby numbers, and tokens are drawn from
        // consecutive seeds, so an unmixed salt gave the next run almost the same tokens.
        let tagSalt = spec.runTag.map {
            SeededGenerator.mix(UInt64(truncatingIfNeeded: $0.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        } ?? 0

        let advocates = Advocate.population(seed: spec.advocateSeed ?? spec.seed, count: spec.advocates,
                                            venues: spec.venues, networks: spec.networks.count,
                                            followersMedian: spec.followersMedian, followersSigma: spec.followersSigma)

        // Shares, spread evenly over the span (ending an hour early, so clicks can follow).
        var random = SeededGenerator(seed: spec.seed, stream: 2)
        let shareSpan = max(1, Int64(spec.days) * 86_400 - 3_600)
        var shares = (0..<shareCount).map { _ in
            let advocate = random.below(advocates.count)
            return PlannedShare(
                time: spanStart + Int64(random.below(Int(shareSpan))), advocate: Int32(advocate),
                venue: Int16(random.chance(0.85) ? advocates[advocate].venue : random.below(spec.venues)),
                campaign: Int16(random.chance(0.8) ? random.below(spec.campaigns) : -1))
        }
        shares.sort { $0.time < $1.time }

        // Popularity: rank r is share `byRank[r]`, a random permutation.
        var byRank = Array(0..<shareCount)
        for i in stride(from: shareCount - 1, to: 0, by: -1) { byRank.swapAt(i, random.below(i + 1)) }
        let zipf = ZipfSampler(count: shareCount, exponent: spec.zipfExponent)

        // Every event as (time, what); sorted by time it is the stream.
        var planned: [PlannedEvent] = []
        planned.reserveCapacity(spec.events)
        for index in shares.indices {
            planned.append(PlannedEvent(time: shares[index].time, kind: .share, share: Int32(index), visitor: -1, cents: 0))
        }
        random = SeededGenerator(seed: spec.seed, stream: 3)
        func follower(of share: Int, meanDelay: Double) -> Int64 {
            let delay = random.chance(spec.orphanFraction)
                ? -1 - random.exponential(mean: 60) : 1 + random.exponential(mean: meanDelay)
            return min(spec.spanEnd - 1, max(spanStart, shares[share].time + Int64(delay)))
        }
        for _ in 0..<clickCount {
            let share = byRank[zipf.sample(&random)]
            let time = follower(of: share, meanDelay: 7_200)
            if random.chance(spec.botFraction) {
                planned.append(PlannedEvent(time: time, kind: .botClick, share: Int32(share), visitor: -1, cents: 0))
            } else {
                let visitor = random.chance(spec.visitorFraction) ? Int32(random.below(spec.visitorPool)) : -1
                planned.append(PlannedEvent(time: time, kind: .click, share: Int32(share), visitor: visitor, cents: 0))
            }
        }
        for _ in 0..<conversionCount {
            let share = byRank[zipf.sample(&random)]
            let time = follower(of: share, meanDelay: 14_400)
            let visitor = random.chance(spec.visitorFraction) ? Int32(random.below(spec.visitorPool)) : -1
            let cents = Int32(min(10_000_000, exp(log(2_500.0) + 0.8 * random.normal()).rounded()))
            planned.append(PlannedEvent(time: time, kind: .conversion, share: Int32(share), visitor: visitor, cents: cents))
        }
        // Sort by time, ties in generation order (a packed key, so the order is exact everywhere).
        var order = planned.indices.map { UInt64($0) | UInt64(planned[$0].time - spanStart) << 32 }
        order.sort()

        // Names, encoded once.
        let tokens = (0..<shareCount).map { Self.token(seed: spec.seed ^ tagSalt, index: $0) }
        let visitors = (0..<spec.visitorPool).map { Self.hex16(SeededGenerator.mix(spec.seed &* 31 &+ UInt64($0))) }
        let sources = (0..<spec.connections).map { "bench-" + (spec.runTag.map { $0 + "-" } ?? "") + String($0) }
        var streams = sources.map { Stream(source: $0) }
        var lines = sources.map { _ in LineBuilder(capacity: spec.events * 150 / max(1, spec.connections)) }
        for index in streams.indices {
            streams[index].lineEnds.reserveCapacity(spec.events / max(1, spec.connections) + 1024)
        }
        var seqs = [Int](repeating: 0, count: spec.connections)
        let sourceBytes = sources.map { Array($0.utf8) }
        let networkBytes = spec.networks.map { Array($0.utf8) }
        random = SeededGenerator(seed: spec.seed, stream: 4)
        var seenShares = [Bool](repeating: false, count: shareCount)

        for key in order {
            let event = planned[Int(key & 0xFFFF_FFFF)]
            let connection = random.below(spec.connections)
            seqs[connection] += 1
            let share = Int(event.share)
            switch event.kind {
            case .share:
                seenShares[share] = true
                let planned = shares[share]
                let advocate = advocates[Int(planned.advocate)]
                lines[connection].append(#"{"type":"share","share":""#)
                lines[connection].append(tokens[share])
                lines[connection].append(#"","advocate":"adv-"#)
                lines[connection].appendPadded(Int(planned.advocate), width: 6)
                lines[connection].append(#"","venue":"venue-"#)
                lines[connection].appendPadded(Int(planned.venue), width: 2)
                if planned.campaign >= 0 {
                    lines[connection].append(#"","campaign":"campaign-"#)
                    lines[connection].append(Int(planned.campaign) + 1)
                }
                lines[connection].append(#"","network":""#)
                lines[connection].append(networkBytes[advocate.network])
                lines[connection].append(#"","followers":"#)
                lines[connection].append(advocate.followers)
                mix.shares += 1
                mix.tiers[Self.tier(advocate.followers), default: 0] += 1
            case .click, .botClick, .conversion:
                if !seenShares[share] { mix.orphansPlanned += 1 }
                lines[connection].append(event.kind == .conversion ? #"{"type":"conversion","share":""# : #"{"type":"click","share":""#)
                lines[connection].append(tokens[share])
                lines[connection].append("\"")
                if event.kind == .botClick {
                    lines[connection].append(#","bot":true"#)
                    mix.botClicks += 1
                }
                if event.visitor >= 0 {
                    lines[connection].append(#","visitor":""#)
                    lines[connection].append(visitors[Int(event.visitor)])
                    lines[connection].append("\"")
                }
                if event.kind == .conversion {
                    lines[connection].append(#","value":"#)
                    lines[connection].append(Int(event.cents) / 100)
                    lines[connection].append(#"."#)
                    lines[connection].appendPadded(Int(event.cents) % 100, width: 2)
                    mix.conversions += 1
                } else {
                    mix.clicks += 1
                    if event.visitor >= 0 { mix.clicksWithVisitor += 1 }
                }
            }
            lines[connection].append(#","source":""#)
            lines[connection].append(sourceBytes[connection])
            lines[connection].append(#"","seq":"#)
            lines[connection].append(seqs[connection])
            lines[connection].append(#","ts":""#)
            lines[connection].appendTimestamp(event.time)
            lines[connection].append("\"}\n")
            streams[connection].lineEnds.append(lines[connection].count)
        }
        for index in streams.indices { streams[index].bytes = lines[index].finish() }
        self.streams = streams
        self.mix = mix
    }

    /// A 10-character share token of `A-Z a-z 0-9` (about 59 bits, so collisions are negligible).
    static func token(seed: UInt64, index: Int) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var value = SeededGenerator.mix(seed &+ 0x5EED_0000_0000 &+ UInt64(index))
        return (0..<10).map { _ in
            defer { value /= 62 }
            return alphabet[Int(value % 62)]
        }
    }

    /// 16 lower-case hex digits: a visitor id as a redirector's salted hash would look.
    static func hex16(_ value: UInt64) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<16).map { digits[Int(value >> UInt64(60 - 4 * $0) & 0xF)] }
    }

    /// The tier of a follower count under the default tier bounds.
    static func tier(_ followers: Int) -> String {
        switch followers {
        case ...999: "nano"
        case ...5_000: "micro"
        case ...100_000: "mid"
        case ...1_000_000: "macro"
        default: "mega"
        }
    }
}

private struct PlannedShare {
    var time: Int64
    var advocate: Int32
    var venue: Int16
    var campaign: Int16
}

private struct PlannedEvent {
    enum Kind: UInt8 { case share, click, botClick, conversion }
    var time: Int64
    var kind: Kind
    var share: Int32
    var visitor: Int32
    var cents: Int32
}
