import Foundation

/// Finds a repeated member name in a JSON object, which I-JSON (RFC 7493) forbids and the
/// contract answers `bad_json`: Foundation's decoders keep one of the values without a word.
///
/// Meant to run before a decoder that checks everything else: on text that is not JSON it may
/// answer anything. Names are compared after unescaping (`"a"` and `"\u0061"` are the same name).
public enum JSONDuplicateKeys {
    private struct Frame {
        var isObject: Bool
        var names: Set<String> = []
    }

    /// The first repeated name, or `nil` if every object's names are distinct.
    public static func first(in bytes: [UInt8]) -> String? {
        var frames: [Frame] = []
        var expectingName = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                frames.append(Frame(isObject: true))
                expectingName = true
            case UInt8(ascii: "["):
                frames.append(Frame(isObject: false))
                expectingName = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = frames.popLast()
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = frames.last?.isObject ?? false
            case UInt8(ascii: "\""):
                let end = endOfString(bytes, from: index)
                if expectingName, !frames.isEmpty {
                    let name = unescaped(bytes[index..<min(end + 1, bytes.count)])
                    if !frames[frames.count - 1].names.insert(name).inserted { return name }
                }
                expectingName = false
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The index of the quote that ends the string opening at `start` (or the end of `bytes`).
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return index
    }

    private static func unescaped(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else {
            return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
        }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted, as: UTF8.self)
    }
}
