/// The member names seen in the objects of one line, so that a repeated name is refused (I-JSON,
/// RFC 7493: a JSON object with two members of the same name has no agreed meaning).
///
/// Names are kept as 64-bit hashes (with a per-process random seed) of the object's number and the
/// name's unescaped bytes: two different names of one object would have to collide in 64 bits to
/// be taken for a repeat. Nothing is allocated until the first name is inserted.
struct MemberNames {
    private var seen: Set<Int> = []
    private var objects = 0

    /// Numbers a newly opened object (from 1; 0 is free for a caller's own object).
    mutating func openObject() -> Int {
        objects += 1
        return objects
    }

    /// Records `name` as a member of object `object`; `false` if it already was one.
    mutating func insert(_ name: UnsafeRawBufferPointer, in object: Int) -> Bool {
        insert(Self.key(name, in: object))
    }

    /// Records a name by its `key(_:in:)`; `false` if it was recorded already.
    mutating func insert(_ key: Int) -> Bool {
        seen.insert(key).inserted
    }

    /// What a member name of object `object` is recorded as.
    static func key(_ name: UnsafeRawBufferPointer, in object: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(object)
        hasher.combine(bytes: name)
        return hasher.finalize()
    }
}
