/// What the engine holds of one producer while it is active (`Engine`'s source cache).
struct ActiveSource: Sendable {
    /// `nil`: not a producer (yet): no line of it was answered `ok` or `duplicate`. A rejected
    /// line never makes one.
    var state: SourceState?
    /// Whether `state` is the store's: `false` for an entry made only to remember a refusal
    /// without reading the store (it is read at the entry's next use).
    var loaded: Bool
    /// The highest seq whose line is durable: a duplicate at or below it is answered at once.
    var committedSeq: UInt64 = 0
    /// The lowest seq answered `overloaded` and not sent again since (see `Engine`).
    var refusedFrom: UInt64?
    /// The generation of the pending batch when the source was last reset: a batch before it
    /// carries the old seq, whose commit says nothing about the new one.
    var resetIn: UInt64 = 0

    /// A producer as the store holds it (`nil`: never seen).
    init(stored: SourceState?) {
        state = stored
        loaded = true
        committedSeq = stored?.highestSeq ?? 0
    }

    /// An entry that only remembers a refusal; the store is read at its next use.
    static var unloaded: ActiveSource {
        var entry = ActiveSource(stored: nil)
        entry.loaded = false
        return entry
    }

    var highestSeq: UInt64 { state?.highestSeq ?? 0 }

    /// Reads the store's state of `source` if this entry has not yet.
    mutating func load(_ source: String, from reader: some EngineReader) throws {
        guard !loaded else { return }
        let refusedFrom = refusedFrom
        self = ActiveSource(stored: try reader.source(source))
        self.refusedFrom = refusedFrom
    }
}
