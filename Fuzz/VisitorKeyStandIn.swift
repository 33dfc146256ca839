// The fuzz build's `VisitorKey`: Fuzz/run.sh compiles ShareTrackCore's sources as one module with
// swiftc, without SwiftPM, so swift-crypto (which the real `VisitorKey` uses for HMAC-SHA256) is
// not there. The parser only needs some keyed 64-bit hash of a visitor id's bytes; this one is
// FNV-1a over the key and the id, with the real type's interface and its "never 0" rule. It is
// compiled into the fuzzer only, never into the package.

public struct VisitorKey: Sendable {
    public static let size = 32
    public let bytes: [UInt8]
    public let fingerprint = "fuzz"

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.size else { return nil }
        self.bytes = Array(bytes)
    }

    public func hash(_ id: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes + Array(id) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return max(1, hash)
    }

    public func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }
}
