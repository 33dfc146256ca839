import ShareTrackCore
import Testing

@Test("flush_interval: a plain number of seconds from 0.001 to 3600", arguments: [
    ("1", 1), ("0.25", 0.25), (".5", 0.5), ("0.001", 0.001), ("3600", 3600), (" 2 ", 2),
] as [(String, Double)])
func flushIntervals(text: String, seconds: Double) throws {
    #expect(try Settings(layers: [(.flag, [.flushInterval: text])]).flushInterval == seconds)
}

@Test("anything else is refused, naming the key: a timer under a millisecond would keep a core busy", arguments: [
    "0", "0.0009", "1e-9", "-1", "+1", "0x10", "1e1", "inf", "nan", "3600.5", "", "1s", "1..5",
])
func badFlushIntervals(text: String) {
    #expect {
        try Settings(layers: [(.flag, [.flushInterval: text])])
    } throws: { error in
        "\(error)".contains("flush_interval")
    }
}
