import Foundation

/// Ids as ShareTrack keeps them (advocates, venues, campaigns, sources): in Unicode Normalization
/// Form C, so that two spellings of one text (`é` as one scalar, or `e` and a combining accent)
/// are one id everywhere. Swift's `String` compares such spellings equal, SQLite and PostgreSQL
/// compare bytes; in NFC the two agree. Ingest and the control socket take ids through here.
public enum CanonicalText {
    /// `text` in NFC.
    public static func nfc(_ text: String) -> String {
        let composed = text.utf8.withContiguousStorageIfAvailable { isNFC(UnsafeRawBufferPointer($0)) } ?? false
        return composed ? text : text.precomposedStringWithCanonicalMapping
    }

    /// `text` in NFC where that is another spelling of it (other bytes: Swift's `==` finds the two
    /// equal); nil where `text` is in NFC already.
    public static func respelled(_ text: String) -> String? {
        let canonical = nfc(text)
        return canonical.utf8.elementsEqual(text.utf8) ? nil : canonical
    }

    /// The text of valid UTF-8 `bytes`, in NFC.
    static func nfc(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return isNFC(bytes) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Whether UTF-8 `bytes` are in NFC by the quick check Swift's own normalization starts with:
    /// every scalar below U+0300, the first that may combine with the one before it (UTF-8
    /// writes those with bytes below 0xCC). Most ids are ASCII.
    private static func isNFC(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.contains { $0 >= 0xCC }
    }
}
