import Foundation
import ShareTrackCore
import Testing

@testable import ShareTrackDaemon

@Suite("Settings loader")
struct SettingsLoaderTests {
    @Test("the default config file may be missing (the defaults then), and status can say whether it was found")
    func configFileFound() throws {
        let byDefault = try SettingsLoader.load(flags: [:], environment: [:])
        #expect(byDefault.config == Settings.defaultConfigFile)
        #expect(byDefault.configFileFound == FileManager.default.fileExists(atPath: Settings.defaultConfigFile))

        let path = NSTemporaryDirectory() + "settings-loader-\(getpid()).yaml"
        try "flush_interval: 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let named = try SettingsLoader.load(flags: [:], environment: ["SHARETRACK_CONFIG": path])
        #expect(named.configFileFound && named.config == path && named.flushInterval == 2)
        #expect(throws: SettingsLoader.Failure.self) {
            try SettingsLoader.load(flags: [.config: path + ".missing"], environment: [:])
        }
    }
}
