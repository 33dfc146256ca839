import ShareTrackCore
import Testing

@Test("flush_interval: a decimal number of seconds from 0.001 to 3600, as YAML and JSON write numbers", arguments: [
    ("1", 1), ("0.25", 0.25), (".5", 0.5), ("0.001", 0.001), ("3600", 3600), (" 2 ", 2),
    ("1e-3", 0.001), ("5E-1", 0.5), ("1.0e+0", 1), ("1e1", 10), ("3.6e3", 3600),
] as [(String, Double)])
func flushIntervals(text: String, seconds: Double) throws {
    #expect(try Settings(layers: [(.flag, [.flushInterval: text])]).flushInterval == seconds)
}

@Test("anything else is refused, naming the key: a timer under a millisecond would keep a core busy", arguments: [
    "0", "0.0009", "1e-9", "-1", "+1", "0x10", "inf", "nan", "3600.5", "", "1s", "1..5",
    "1e", "e3", "1e+", "1e3.5", "3.7e3", "1e-3s", "0x1p3",
])
func badFlushIntervals(text: String) {
    #expect {
        try Settings(layers: [(.flag, [.flushInterval: text])])
    } throws: { error in
        "\(error)".contains("flush_interval")
    }
}
