import Foundation
import Glibc
import ShareTrackCore
import Testing

@testable import ShareTrackDaemon

@Suite("Visitor key file")
struct VisitorKeyFileTests {
    let directory: String = {
        var template = Array((NSTemporaryDirectory() + "visitor-key-XXXXXX").utf8CString)
        return String(cString: mkdtemp(&template)!)
    }()

    private func write(_ bytes: [UInt8], mode: mode_t) -> String {
        let path = directory + "/key-\(bytes.count)-\(String(mode, radix: 8))"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        chmod(path, mode)
        return path
    }

    @Test("created at first start: 32 random bytes, mode 0600; the same key at the next start")
    func createdOnce() throws {
        let path = directory + "/visitor.key"
        let key = try VisitorKeyFile.load(path, mayCreate: true)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 32)
        #expect(info.st_uid == getuid())
        let again = try VisitorKeyFile.load(path, mayCreate: true)
        #expect(again.bytes == key.bytes)
        #expect(again.hash("someone") == key.hash("someone"))
        #expect(key.fingerprint.count == 16)
        #expect(try VisitorKeyFile.load(directory + "/other.key", mayCreate: true).hash("someone") != key.hash("someone"))
    }

    @Test("a missing named file (beside a database that exists), a wrong size or a too-open mode stops the start, naming the file")
    func refused() {
        let cases: [(String, Bool, String)] = [
            (directory + "/missing.key", false, "created only with a database that holds no visitor hashes yet"),
            (write([UInt8](repeating: 1, count: 31), mode: 0o600), false, "exactly 32 bytes, not 31"),
            (write([UInt8](repeating: 1, count: 33), mode: 0o600), false, "exactly 32 bytes, not more"),
            (write([UInt8](repeating: 1, count: 32), mode: 0o640), false, "mode 0640"),
            (write([UInt8](repeating: 1, count: 32), mode: 0o604), true, "mode 0604"),
            (directory, true, "not a regular file"),
        ]
        for (path, mayCreate, reason) in cases {
            do {
                _ = try VisitorKeyFile.load(path, mayCreate: mayCreate)
                Issue.record("accepted \(path)")
            } catch {
                #expect(error.description.contains(path) && error.description.contains(reason), "\(error)")
            }
        }
        #expect((try? VisitorKeyFile.load(write([UInt8](repeating: 1, count: 32), mode: 0o400), mayCreate: false)) != nil)
    }
}
