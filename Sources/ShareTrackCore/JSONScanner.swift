/// A single-pass, non-recursive RFC 8259 validator over bytes that are already valid UTF-8.
///
/// Scalars are located, not converted; nested arrays and objects are validated and skipped
/// with an explicit stack, so nesting depth is bounded by memory, not by the call stack.
struct JSONScanner {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    private(set) var index = 0
    /// The member names of the objects nested in the line's values (the line's own object keeps
    /// its names itself, see `EventFields`).
    private var nestedNames = MemberNames()

    /// A scanner over `count` bytes at `start`.
    init(_ start: UnsafeRawPointer, count: Int) {
        bytes = start.assumingMemoryBound(to: UInt8.self)
        self.count = count
    }

    var isAtEnd: Bool { index == count }

    /// The current byte, or 0 at the end (0 is never valid outside a string).
    @inline(__always)
    var peek: UInt8 { index < count ? bytes[index] : 0 }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` or throws `reason`.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ reason: StaticString) throws(JSONError) {
        guard peek == byte else { throw JSONError(offset: index, reason: reason) }
        index += 1
    }

    /// Consumes `byte` if it is the current one.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Scans the value at the current position (no leading whitespace).
    @inline(__always)
    mutating func value() throws(JSONError) -> JSONValue {
        peek == UInt8(ascii: "\"") ? try string() : try nonString()
    }

    /// `value()` for anything but a string.
    private mutating func nonString() throws(JSONError) -> JSONValue {
        let start = index
        switch peek {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return JSONValue(kind: .number, start: start, end: index)
        case UInt8(ascii: "t"): try literal("true"); return JSONValue(kind: .bool(true), start: start, end: index)
        case UInt8(ascii: "f"): try literal("false"); return JSONValue(kind: .bool(false), start: start, end: index)
        case UInt8(ascii: "n"): try literal("null"); return JSONValue(kind: .null, start: start, end: index)
        case UInt8(ascii: "["): try skipContainer(); return JSONValue(kind: .array, start: start, end: index)
        case UInt8(ascii: "{"): try skipContainer(); return JSONValue(kind: .object, start: start, end: index)
        default: throw JSONError(offset: index, reason: "expected a value")
        }
    }

    /// Scans the string whose opening quote is the current byte.
    @inline(__always)
    private mutating func string() throws(JSONError) -> JSONValue {
        let start = index + 1
        var i = start
        var escaped = false
        while true {
            // Skip plain bytes eight at a time, stopping exactly at the first `"`, `\` or control character.
            if i + 8 <= count {
                let special = ByteScan.specialStringBytes(UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                if special == 0 {
                    i += 8
                    continue
                }
                i += special.trailingZeroBitCount >> 3
            } else if i == count {
                throw JSONError(offset: i, reason: "unterminated string")
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return JSONValue(kind: .string(escaped: escaped), start: start, end: i)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                i += try escapeLength(at: i)
            } else if byte < 0x20 {
                throw JSONError(offset: i, reason: "control character in string")
            } else {
                i += 1
            }
        }
    }

    /// The length of the valid escape sequence at `offset` (a backslash), checking surrogate pairing.
    private func escapeLength(at offset: Int) throws(JSONError) -> Int {
        switch offset + 1 < count ? bytes[offset + 1] : 0 {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: offset + 2) else { throw JSONError(offset: offset, reason: "invalid \\u escape") }
            switch unit {
            case 0xD800...0xDBFF:
                guard offset + 7 < count, bytes[offset + 6] == UInt8(ascii: "\\"), bytes[offset + 7] == UInt8(ascii: "u"),
                      let low = hex4(at: offset + 8), (0xDC00...0xDFFF).contains(low)
                else { throw JSONError(offset: offset, reason: "unpaired surrogate escape") }
                return 12
            case 0xDC00...0xDFFF:
                throw JSONError(offset: offset, reason: "unpaired surrogate escape")
            default:
                return 6
            }
        default:
            throw JSONError(offset: offset, reason: "invalid escape")
        }
    }

    /// The four hex digits at `offset` as a UTF-16 code unit, or nil.
    private func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= count else { return nil }
        var unit: UInt32 = 0
        for byte in UnsafeBufferPointer(start: bytes + offset, count: 4) {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
        }
        return unit
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(JSONError) {
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else {
            try digits()
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if peek | 0x20 == UInt8(ascii: "e") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    /// One or more decimal digits.
    private mutating func digits() throws(JSONError) {
        var i = index
        while i < count, ByteScan.isDigit(bytes[i]) { i += 1 }
        guard i > index else { throw JSONError(offset: index, reason: "invalid number") }
        index = i
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        guard index + word.utf8CodeUnitCount <= count,
              ByteScan.equals(UnsafeRawBufferPointer(start: bytes + index, count: word.utf8CodeUnitCount), word)
        else {
            throw JSONError(offset: index, reason: "expected a value")
        }
        index += word.utf8CodeUnitCount
    }

    /// Validates and skips the array or object at the current position, without recursion.
    private mutating func skipContainer() throws(JSONError) {
        var open = ContainerStack()
        /// The number (`MemberNames.openObject()`) of each open object, innermost last.
        var objects: [Int] = []
        repeat {
            // A value starts here.
            let byte = peek
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                let isObject = byte == UInt8(ascii: "{")
                index += 1
                skipWhitespace()
                if peek == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1 // Empty: a complete value.
                } else {
                    open.push(isObject: isObject)
                    if isObject {
                        objects.append(nestedNames.openObject())
                        try uniqueMemberName(in: objects[objects.count - 1])
                    }
                    continue
                }
            } else {
                _ = try value()
            }
            // A value ended: close finished containers, or move on to the next element.
            while !open.isEmpty {
                skipWhitespace()
                let isObject = open.topIsObject
                if consume(UInt8(ascii: ",")) {
                    if isObject { try uniqueMemberName(in: objects[objects.count - 1]) } else { skipWhitespace() }
                    break
                }
                try expect(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"), isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                open.pop()
                if isObject { objects.removeLast() }
            }
        } while !open.isEmpty
    }

    /// Scans the whole line, which must be one JSON object (with whitespace around it), handing
    /// each member's name (its content, unescaped) and value to `member`, which returns false for
    /// a name the object already had: a repeated member name.
    @inline(__always)
    mutating func object(_ member: (UnsafeRawBufferPointer, JSONValue) -> Bool) throws(JSONError) {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "expected '{' (a line is one JSON object)")
        skipWhitespace()
        if peek != UInt8(ascii: "}") {
            repeat {
                skipWhitespace()
                let offset = index
                let name = try memberName()
                let value = try value()
                guard withContent(of: name, { member($0, value) }) else {
                    throw JSONError(offset: offset, reason: "repeated member name")
                }
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
        }
        try expect(UInt8(ascii: "}"), "expected ',' or '}'")
        skipWhitespace()
        guard isAtEnd else { throw JSONError(offset: index, reason: "unexpected data after the object") }
    }

    /// Checks that `bytes` (valid UTF-8) are one JSON object (with whitespace around it, and
    /// perhaps a byte order mark first) whose objects, its own and the nested ones, each name a
    /// member once, as a line is checked.
    static func checkObject(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        let bom = ByteScan.byteOrderMark(bytes)
        var scanner = JSONScanner((bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!) + bom, count: bytes.count - bom)
        var names = Set<[UInt8]>()
        try scanner.object { name, _ in names.insert(Array(name)).inserted }
    }

    /// `memberName()` of nested object number `object`, refusing a name it already has.
    private mutating func uniqueMemberName(in object: Int) throws(JSONError) {
        let offset = index
        let name = try memberName()
        // The key first, then the insert: inserting inside `withContent` (a read of `self`) would
        // make Swift copy `self`, and with it the whole set, for every name.
        let key = withContent(of: name) { MemberNames.key($0, in: object) }
        guard nestedNames.insert(key) else {
            throw JSONError(offset: offset, reason: "repeated member name")
        }
    }

    /// Scans `"name" :` and the whitespace around it, leaving the position at the member's value.
    mutating func memberName() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw JSONError(offset: index, reason: "expected a member name") }
        let name = try string()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected ':'")
        skipWhitespace()
        return name
    }

    /// The bytes of a scanned value (for a string, between the quotes, still escaped).
    @inline(__always)
    func raw(_ value: JSONValue) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + value.start, count: value.end - value.start)
    }

    /// Calls `body` with the content of a scanned string, unescaped (copied only if it has escapes).
    @inline(__always)
    func withContent<R>(of value: JSONValue, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard value.kind == .string(escaped: true) else { return body(raw(value)) }
        return unescaped(value).withUnsafeBytes(body)
    }

    /// The UTF-8 content of a scanned string that has escapes.
    private func unescaped(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.end - value.start)
        var i = value.start
        while i < value.end {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                // The scanner has checked the digits and the surrogate pairing.
                var scalar = hex4(at: i)!
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (hex4(at: i + 2)! - 0xDC00)
                    i += 6
                }
                UTF8.encode(Unicode.Scalar(scalar)!) { out.append($0) }
            default: out.append(escape) // " \\ /
            }
        }
        return out
    }
}
