import Foundation
import Glibc

/// A new directory for one run, `PREFIX-XXXXXX` under `$TMPDIR` (else /tmp), as `mktemp -d` makes
/// it: `make test` gives its tests a directory of its own and removes it afterwards.
func makeTemporaryDirectory(prefix: String) throws -> String {
    let parent = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw UnixSocket.Failure("mkdtemp in \(parent)") }
    return String(cString: made)
}
