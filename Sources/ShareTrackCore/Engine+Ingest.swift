// The ingest side of the engine: one event at a time, with the producer's exactly-once check,
// the token's state (shared, visitors) and the pending batch's rows.

extension Engine {
    /// Applies one read's lines, received at `now` (seconds since the epoch), in order, and hands
    /// `reply` the answer to each. `refusing`: why every event is refused (`overloaded`) instead.
    public mutating func apply(_ lines: [Result<Event, Rejection>], now: Int64, refusing: String?,
                               reader: some EngineReader, reply: (Reply) -> Void) {
        defer { recordProducerState() }
        for line in lines {
            switch line {
            case .success(let event):
                if let refusing {
                    reply(reject(Rejection(.overloaded, refusing, source: event.origin?.source), now: now, reader: reader))
                } else {
                    reply(applyLine(event, now: now, reader: reader))
                }
            case .failure(let rejection): reply(reject(rejection, now: now, reader: reader))
            }
        }
    }

    /// Applies one event received at `now` (seconds since the epoch): a read of one line.
    public mutating func apply(_ event: Event, now: Int64, reader: some EngineReader) -> Reply {
        defer { recordProducerState() }
        return applyLine(event, now: now, reader: reader)
    }

    /// A test event is checked like a real one up to the point where it would count: it gets
    /// the error a real one would, `overloaded` included (the contract's "Ingest: test events").
    private mutating func applyLine(_ event: Event, now: Int64, reader: some EngineReader) -> Reply {
        if case .conversion(_, let value) = event.kind, value.thousandths > Int64.max - valueTotal.thousandths {
            return reject(Rejection(.badField, "field 'value' would take the sum of all values past "
                                    + "\(Money(thousandths: .max)), the most this daemon can count exactly",
                                    source: event.origin?.source), now: now, reader: reader)
        }
        if pendingRows >= configuration.maxPendingRows {
            return refuse(event, "the daemon holds too many uncommitted events; retry later", now: now, reader: reader)
        }
        // The producer is looked up once; `record` updates it through the same slot.
        var producer: Producer?
        if let origin = event.origin {
            let source: ActiveSource
            do {
                let slot = try sources.slot(of: origin.source, load: { try ActiveSource(stored: reader.source($0)) })
                try sources[slot].load(origin.source, from: reader)
                source = sources[slot]
                producer = Producer(origin: origin, slot: slot)
            } catch {
                return refuse(event, "the database cannot be read (\(error)); retry later", now: now, reader: reader)
            }
            if let first = source.refusedFrom, origin.seq > first {
                return refuse(event, "seq \(first) of this source was refused (overloaded); send it again first",
                              now: now, reader: reader)
            }
            if !event.test, origin.seq <= source.highestSeq {
                return record(.duplicate, producer: producer, now: now, waitsForCommit: origin.seq > source.committedSeq)
            }
        }
        if event.test { return recordTest(of: producer, now: now) }
        let seen: (shared: Bool, firstVisit: Bool, apart: Bool)
        let erased = erasedVisitors
        do {
            seen = try cache.update(event.token, load: { try Self.stored($0, reader, erased: erased) }) { state, tables in
                let wasShared = state.shared
                switch event.kind {
                case .share:
                    state.shared = true
                    return (wasShared, false, false)
                case .click(let visitor?, bot: false):
                    let first = try state.addVisitor(visitor, in: &tables) {
                        try erased[visitor] == nil && reader.hasVisitor(visitor, of: event.token)
                    }
                    return (wasShared, first, !state.visitorFitsInRows(tables))
                case .click(nil, let bot):
                    return (wasShared, !bot, false)
                case .click, .conversion:
                    return (wasShared, false, false)
                }
            }
        } catch {
            return refuse(event, "the database cannot be read (\(error)); retry later", now: now, reader: reader)
        }

        let time = event.time ?? now
        let key = CounterKey(token: event.token, hour: time.hourBucket)
        var delta = Counters()
        switch event.kind {
        case .share(let attributes):
            if seen.shared {
                return record(.duplicate, producer: producer, now: now, waitsForCommit: true)
            }
            let tier = configuration.tierBounds.tier(forFollowers: attributes.followers)
            pending.add(ShareRecord(token: event.token, attributes: attributes, tier: tier, time: time))
            delta.shares = 1
            delta.reach = Int64(attributes.followers)
            totals.count(acceptedType: .share)
        case .click(_, let bot):
            if bot {
                delta.botClicks = 1
            } else {
                delta.clicks = 1
                delta.uniqueClicks = seen.firstVisit ? 1 : 0
            }
            // One rule everywhere (docs/protocol.md, Orphans): a bot click is never an orphan click.
            totals.count(acceptedType: .click, orphan: !seen.shared && !bot)
        case .conversion(_, let value):
            delta.conversions = 1
            delta.value = value
            valueTotal.thousandths += value.thousandths
            totals.count(acceptedType: .conversion, orphan: !seen.shared)
        }
        pending.add(delta, at: key)
        if case .click(let visitor?, bot: false) = event.kind, seen.firstVisit {
            pending.add(VisitorPair(token: event.token, visitor: visitor, time: time, apart: seen.apart))
        }
        return record(.accepted, producer: producer, now: now, waitsForCommit: true)
    }

    /// Counts a line that was rejected before or while it was applied; changes no counter. A
    /// rejected line counts against its source if that source is a producer already, and makes
    /// one only with a valid `seq` (`Rejection.makesProducer`).
    public mutating func reject(_ rejection: Rejection, now: Int64, reader: some EngineReader) -> Reply {
        guard rejection.counted else { return Reply(outcome: .rejected(rejection), waitFor: 0) }
        totals.rejected[rejection.code, default: 0] += 1
        if let source = rejection.source {
            let makes = rejection.makesProducer
            _ = try? sources.updateIfFound(source, load: { name in
                let stored = try reader.source(name)
                return stored != nil || makes ? ActiveSource(stored: stored) : nil
            }) {
                try $0.load(source, from: reader)
                guard var state = $0.state ?? (makes ? SourceState() : nil) else { return }
                state.rejected += 1
                state.lastSeen = now
                $0.state = state
                pending.sources[source] = state
            }
        }
        return Reply(outcome: .rejected(rejection), waitFor: 0)
    }

    /// Counts a test event: only in `totals.test` and its source's `test`; stores nothing else,
    /// and its seq neither dedupes nor advances the source's.
    private mutating func recordTest(of producer: Producer?, now: Int64) -> Reply {
        totals.test += 1
        if let producer {
            var entry = sources[producer.slot]
            var state = entry.state ?? SourceState()
            state.test += 1
            state.lastSeen = now
            entry.state = state
            sources[producer.slot] = entry
            pending.sources[producer.origin.source] = state
        }
        return Reply(outcome: .test, waitFor: 0)
    }

    /// Answers `overloaded`; the source's later seqs are refused until this one is sent again
    /// (not after a test event, whose seq is no place in the source's sequence).
    private mutating func refuse(_ event: Event, _ message: String, now: Int64, reader: some EngineReader) -> Reply {
        if let origin = event.origin, !event.test {
            // Without reading the store (which may be what fails): a new entry is read at its next use.
            sources.update(origin.source, load: { _ in .unloaded }) { entry in
                entry.refusedFrom = min(entry.refusedFrom ?? .max, origin.seq)
            }
        }
        return reject(Rejection(.overloaded, message, source: event.origin?.source), now: now, reader: reader)
    }

    /// A line's producer, and where the source cache holds it.
    private struct Producer {
        var origin: Origin
        var slot: GenerationCache<ActiveSource>.Slot
    }

    private mutating func record(_ outcome: Reply.Outcome, producer: Producer?, now: Int64, waitsForCommit: Bool) -> Reply {
        if outcome == .duplicate { totals.duplicates += 1 }
        pending.events += 1
        if let producer {
            // The source cache has not changed since the lookup: the slot is still the source's.
            let seq = producer.origin.seq
            var entry = sources[producer.slot]
            if let first = entry.refusedFrom, seq >= first { entry.refusedFrom = nil }
            var state = entry.state ?? SourceState()
            state.highestSeq = max(state.highestSeq, seq)
            state.lastSeen = now
            if outcome == .duplicate { state.duplicates += 1 } else { state.accepted += 1 }
            entry.state = state
            sources[producer.slot] = entry
            if unrecordedProducer != producer.origin.source {
                recordProducerState()
                unrecordedProducer = producer.origin.source
            }
        }
        let waits = configuration.ackOnCommit && waitsForCommit
        return Reply(outcome: outcome, waitFor: waits ? pending.generation : 0)
    }

    /// Writes the state of the producer whose lines were counted last to the pending batch: once
    /// per run of its lines in a read rather than once per line (a dictionary update of the batch
    /// per line was about 3% of ingest's CPU). Every read ends with it, so the batch a flush takes
    /// holds every producer's state as of its last line.
    private mutating func recordProducerState() {
        guard let source = unrecordedProducer else { return }
        unrecordedProducer = nil
        // The cache holds the source's current state (a rejected line may have counted since).
        if let state = sources[source]?.state { pending.sources[source] = state }
    }

    /// Forgets the highest seq of `source`, so that its seqs may start again at 1 (a reinstalled
    /// kiosk). The change goes into the pending batch: the batches before it still carry the old
    /// seq, and the store applies them first. Returns the seq forgotten; `nil` for a source never
    /// seen.
    public mutating func resetSource(_ source: String, reader: some EngineReader) throws -> UInt64? {
        let generation = pending.generation
        let reset = try sources.updateIfFound(source, load: { try reader.source($0).map(ActiveSource.init) }) {
            entry -> (SourceState, UInt64)? in
            try entry.load(source, from: reader)
            guard var state = entry.state else { return nil }
            let forgotten = state.highestSeq
            state.highestSeq = 0
            entry.state = state
            entry.committedSeq = 0
            entry.resetIn = generation
            entry.refusedFrom = nil
            return (state, forgotten)
        }
        guard let (state, forgotten) = reset ?? nil else { return nil }
        pending.sources[source] = state
        return forgotten
    }
}
