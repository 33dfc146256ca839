import ShareTrackCore
import Testing
import TestSupport

@testable import ShareTrackStore

/// The daemon's pending batch's groups kept between answers and advanced by what the batch gained
/// (`PendingGroups`, given `PendingEffects` as the daemon gives them): answers stay those of the
/// raw rows as the batch grows a few records at a time, in any order (a click before its share in
/// the same batch, too) while earlier batches are applied, and is flushed (its groups then
/// finished with what it gained since an answer last looked).
@Suite struct PendingGroupsTests {
    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func pendingGroupsAdvanceLikeTheRawRows(seed: UInt64) throws {
        let batches = RollupTests.batches(seed: seed, count: 12)
        let setup = try RollupTests.ThreeApplied(batches)
        var random = SplitMix(seed: seed)
        let tiers = ControlRequest(command: .tiers)
        var applied = 3
        var step: UInt64 = 0
        var flushed: Batch?
        for arriving in 3..<batches.count {
            var records = try Self.records(of: batches[arriving])
            records.shuffle(using: &random)
            var pending = Batch(generation: batches[arriving].generation)
            pending.events = 1
            while !records.isEmpty {
                for record in records.suffix(Int.random(in: 1...4, using: &random)) {
                    switch record {
                    case .counters(let delta, let key): pending.add(delta, at: key)
                    case .share(let share): pending.add(share)
                    case .visitor, .sealedVisitor, .erasure: Issue.record("the test batches have no \(record)")
                    }
                    records.removeLast()
                }
                // Earlier batches are applied while it grows, their orphans then read from the tables.
                if applied < arriving && Int.random(in: 0..<4, using: &random) == 0 {
                    try setup.store.apply(batches[applied])
                    applied += 1
                }
                // Not every record is looked at before the batch is flushed.
                guard Int.random(in: 0..<4, using: &random) > 0 else { continue }
                let live = Array(batches[applied..<arriving]) + [pending]
                func liveData() -> LiveData {
                    LiveData(batches: live, pending: pending, flushed: flushed, after: setup.fast.pendingSeen)
                }
                #expect(RollupTests.answer(setup.fast, tiers, liveData()) == RollupTests.answer(setup.raw, tiers, liveData()))
                #expect(setup.fast.pendingSeen == PendingEffects(of: pending, after: nil).end)
                step += 1
                for request in RollupTests.requests(seed: seed &* 1000 &+ step, count: 6) {
                    #expect(RollupTests.answer(setup.fast, request, liveData())
                        == RollupTests.answer(setup.raw, request, liveData()), "\(request)")
                }
            }
            flushed = pending
        }
    }

    /// The daemon hands the pending batch's records only to the commands whose answers add them
    /// (`Queries.addsPendingRecords`): each of those, and none of the others, advances the sums.
    @Test(arguments: [ControlRequest.Command.top, .advocate, .share, .venues, .tiers, .sources, .networks, .trend])
    func theCommandsThatAddPendingRecordsAreThoseSaidTo(command: ControlRequest.Command) throws {
        let batches = RollupTests.batches(seed: 35, count: 6)
        let setup = try RollupTests.ThreeApplied(batches)
        let live = LiveData(batches: Array(batches[3...]), pending: batches[5], flushed: nil, after: nil)
        let share = try #require(batches.lazy.flatMap(\.shares).first)
        let request = ControlRequest(command: command, query: Query(
            id: command == .advocate ? share.attributes.advocate : share.token))
        #expect(!RollupTests.answer(setup.fast, request, live).hasPrefix("error"))
        #expect((setup.fast.pendingSeen != nil) == Queries.addsPendingRecords(command))
    }

    /// The records of `batch`, in the order it recorded them.
    static func records(of batch: Batch) throws -> [BatchRecords.Record] {
        try batch.effects.bytes.withUnsafeBytes { bytes in
            var reader = BatchRecords(bytes)
            var records: [BatchRecords.Record] = []
            while let record = try reader.next() { records.append(record) }
            return records
        }
    }
}
