/// `sharectl send --test`: an event line made a test event (`"test": true`), read as the daemon
/// reads it (`EventParser`), so that no line it would count goes out unmarked.
public enum TestMark {
    /// `line` with `true` as the value of its `test` member where that is `false` or `null` (a
    /// real event), or with `"test":true` added as its last member where it has none. A line the
    /// daemon refuses before reading its members (not UTF-8, not one JSON object, a repeated
    /// member name) and one whose `test` is `true` already or not a bool (`bad_field`) are
    /// returned as they are: the daemon answers them as sent, counting nothing. A leading byte
    /// order mark, which the daemon ignores, is left out.
    public static func marked(_ sent: UnsafeRawBufferPointer) -> [UInt8] {
        let line = UnsafeRawBufferPointer(rebasing: sent[ByteScan.byteOrderMark(sent)...])
        guard let start = line.baseAddress, ByteScan.isValidUTF8(sent) else { return Array(sent) }
        var scanner = JSONScanner(start, count: line.count)
        var (test, members, names) = (JSONValue?.none, 0, MemberNames())
        do {
            try scanner.object { name, value in
                members += 1
                if ByteScan.equals(name, "test") { test = value }
                return names.insert(name, in: 0)
            }
        } catch {
            return Array(sent)
        }
        var bytes = Array(line)
        if let test {
            guard test.kind == .bool(false) || test.kind == .null else { return bytes }
            bytes.replaceSubrange(test.start..<test.end, with: "true".utf8)
            return bytes
        }
        // The object's closing brace is its last byte but for whitespace.
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        bytes.insert(contentsOf: (members == 0 ? #""test":true"# : #","test":true"#).utf8, at: end)
        return bytes
    }
}
