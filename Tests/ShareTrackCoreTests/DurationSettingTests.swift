import ShareTrackCore
import Testing

@Test("durations: seconds, or a number with s, m, h or d", arguments: [
    ("300", 300), ("0", 0), ("1.5", 1.5), ("45s", 45), ("30m", 1800), ("12h", 43200), ("90d", 7_776_000),
    ("0.5s", 0.5), ("36500d", 3_153_600_000), ("1e3", 1000), ("1.5E1m", 900), ("0.000e5", 0), ("1e-300", 1e-300),
] as [(String, Double)])
func durationsParse(text: String, seconds: Double) {
    #expect(DurationSetting(parsing: text)?.seconds == seconds)
}

@Test("anything else is not a duration", arguments: [
    "", "s", "-1", "+5", "1e", "e3s", "0x10", "inf", "nan", "5w", "1h30m", "5 m", "1..5", ".", "36501d", "99999999999999999999",
    "1e-400", "1e-400d", "0.\(String(repeating: "0", count: 400))1",
])
func nonDurations(text: String) {
    #expect(DurationSetting(parsing: text) == nil)
}

@Test("idle_timeout is a duration, 300 by default, refused with the key named otherwise")
func idleTimeoutSetting() throws {
    #expect(Settings().idleTimeout.seconds == 300)
    let settings = try Settings(layers: [(.flag, [.idleTimeout: "5m"])])
    #expect(settings.idleTimeout.seconds == 300)
    #expect(settings.value(of: .idleTimeout) == "300")
    #expect(try Settings(layers: [(.flag, [.idleTimeout: "0"])]).idleTimeout.seconds == 0)
    #expect(try Settings(layers: [(.flag, [.idleTimeout: "2.5"])]).value(of: .idleTimeout) == "2.5")
    #expect(throws: SettingsError.self) { try Settings(layers: [(.flag, [.idleTimeout: "-1"])]) }
    #expect(throws: SettingsError.self) { try Settings(layers: [(.flag, [.idleTimeout: "soon"])]) }
    // Too long: the message says how long one may be.
    #expect { try Settings(layers: [(.flag, [.idleTimeout: "1e12d"])]) } throws: { error in
        "\(error)".contains("idle_timeout") && "\(error)".contains("up to 100 years")
    }
}
