import ShareTrackCore
import Testing

@Test("one path for both sockets is refused, naming control_socket and where it came from")
func oneSocketPathForBoth() {
    #expect(throws: SettingsError.self) { try Settings(layers: [(.flag, [.ingestSocket: "/tmp/x.sock", .controlSocket: "/tmp/x.sock"])]) }
    do {
        _ = try Settings(layers: [(.file("/etc/s.yaml"), [.ingestSocket: "/run/a.sock", .controlSocket: "/run/a.sock"])])
    } catch {
        #expect(error.key == .controlSocket && error.description.contains("other than ingest_socket's")
                && error.description.contains("/etc/s.yaml"), "\(error)")
    }
    #expect((try? Settings(layers: [(.flag, [.ingestSocket: "/run/a.sock", .controlSocket: "/run/b.sock"])])) != nil)
}
