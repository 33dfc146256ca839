import Foundation

/// `--test` of `sharectl send`: `"test": true` added to an event line.
enum TestMark {
    /// `line` with `"test":true` as its last member. A line that is not one JSON object, or that
    /// has a `test` member of its own, is returned as it is: the daemon answers it as sent.
    static func marked(_ line: UnsafeRawBufferPointer) -> [UInt8] {
        var bytes = Array(line)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D { bytes.removeLast() }
        guard bytes.last == UInt8(ascii: "}"),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["test"] == nil
        else { return Array(line) }
        bytes.removeLast()
        return bytes + Array((object.isEmpty ? #""test":true}"# : #","test":true}"#).utf8)
    }
}
