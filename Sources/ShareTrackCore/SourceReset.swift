/// The answer to `reset-source`: the producer whose highest seq was forgotten, and that seq.
///
/// In JSON: `{"source":"kiosk-7","forgotten_seq":1234}`.
public struct SourceReset: Sendable, Codable, Equatable {
    public var source: String
    public var forgottenSeq: UInt64

    public init(source: String, forgottenSeq: UInt64) {
        self.source = source
        self.forgottenSeq = forgottenSeq
    }
}
