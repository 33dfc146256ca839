/// Open containers, innermost last: a bit per level for the first 64, an array beyond.
struct ContainerStack {
    private var bits: UInt64 = 0
    private var deeper: [Bool] = []
    private var depth = 0

    var isEmpty: Bool { depth == 0 }
    var topIsObject: Bool { depth > 64 ? deeper[deeper.count - 1] : bits & (1 << (depth - 1)) != 0 }

    mutating func push(isObject: Bool) {
        if depth < 64 {
            bits = isObject ? bits | 1 << depth : bits & ~(1 << depth)
        } else {
            deeper.append(isObject)
        }
        depth += 1
    }

    mutating func pop() {
        depth -= 1
        if depth >= 64 { deeper.removeLast() }
    }
}
