/// The records the daemon's pending batch has gained since a reader last looked (its encoded
/// effects from `offset` on, `BatchRecords`): what a query engine that keeps the pending batch's
/// sums between answers adds, instead of summing the whole batch again for each answer.
public struct PendingEffects: Sendable {
    /// Where a reader is in a pending batch: its generation, and how many bytes of its effects
    /// it has read.
    public struct Position: Sendable, Equatable {
        public var generation: UInt64
        public var offset: Int

        public init(generation: UInt64, offset: Int) {
            self.generation = generation
            self.offset = offset
        }
    }

    /// The pending batch's generation, and where in its effects `bytes` start.
    public var start: Position
    /// Its effects from `start.offset` to their end, whole records.
    public var bytes: [UInt8]

    private init(start: Position, bytes: [UInt8]) {
        self.start = start
        self.bytes = bytes
    }

    /// Where a reader is once it has read these.
    public var end: Position { Position(generation: start.generation, offset: start.offset + bytes.count) }

    /// The effects of `batch` after `seen`, or all of them if `seen` is of another batch (copied:
    /// the batch keeps growing without copying its own).
    public init(of batch: Batch, after seen: Position?) {
        let all = batch.effects.bytes
        let offset = seen.map { $0.generation == batch.generation && $0.offset <= all.count ? $0.offset : 0 } ?? 0
        self.init(start: Position(generation: batch.generation, offset: offset), bytes: Array(all[offset...]))
    }
}
